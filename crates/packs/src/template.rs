//! A pack's prompt templates (minijinja), rendered with the form's inputs as variables and
//! without trusting the template: a variable the form does not give is an error, not an empty
//! string; the work a template may do is bounded (fuel), and so is what it may write, so a
//! template that loops or recurses stops with a clear reason instead of hanging or filling
//! memory.

use std::collections::BTreeMap;
use std::io::Write;

use minijinja::{Environment, ErrorKind, UndefinedBehavior};

/// Instructions a template may run: far more than any prompt needs.
const FUEL: u64 = 200_000;
/// Nesting of macros and includes.
const RECURSION: usize = 32;
/// The most bytes a rendered prompt may have.
pub const MAX_PROMPT_BYTES: usize = 512 << 10;

/// Why a template did not render.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("line {line}: {detail}")]
    Syntax { line: usize, detail: String },
    #[error("line {line}: the variable is not one of the form's: {detail}")]
    Undefined { line: usize, detail: String },
    #[error("it does too much work (a loop or a recursion without end)")]
    TooMuchWork,
    #[error("it writes more than {} KB", MAX_PROMPT_BYTES >> 10)]
    TooLong,
    #[error("line {line}: {detail}")]
    Failed { line: usize, detail: String },
}

/// A writer that refuses to hold more than the cap.
struct Capped {
    out: Vec<u8>,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + buf.len() > MAX_PROMPT_BYTES {
            return Err(std::io::Error::other("too long"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION);
    env
}

/// Renders `source` with `vars`.
pub fn render(source: &str, vars: &BTreeMap<String, String>) -> Result<String, TemplateError> {
    let env = environment();
    let located = |err: &minijinja::Error| {
        (
            err.line().unwrap_or(1),
            err.detail().unwrap_or("").to_string(),
        )
    };
    let template = env.template_from_str(source).map_err(|err| {
        let (line, detail) = located(&err);
        TemplateError::Syntax {
            line,
            detail: if detail.is_empty() {
                err.kind().to_string()
            } else {
                detail
            },
        }
    })?;
    let mut out = Capped { out: Vec::new() };
    template.render_captured_to(vars, &mut out).map_err(|err| {
        let (line, detail) = located(&err);
        match err.kind() {
            ErrorKind::OutOfFuel => TemplateError::TooMuchWork,
            ErrorKind::UndefinedError => TemplateError::Undefined { line, detail },
            ErrorKind::WriteFailure => TemplateError::TooLong,
            ErrorKind::InvalidOperation if detail.contains("recursion") => {
                TemplateError::TooMuchWork
            }
            ErrorKind::InvalidOperation if detail.contains("too large") => TemplateError::TooLong,
            kind => TemplateError::Failed {
                line,
                detail: if detail.is_empty() {
                    kind.to_string()
                } else {
                    detail
                },
            },
        }
    })?;
    Ok(String::from_utf8_lossy(&out.out).into_owned())
}

/// Checks that `source` parses, without rendering it.
pub fn check(source: &str) -> Result<(), TemplateError> {
    let env = environment();
    env.template_from_str(source)
        .map(|_| ())
        .map_err(|err| TemplateError::Syntax {
            line: err.line().unwrap_or(1),
            detail: err.detail().unwrap_or("").to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn a_template_renders_the_form_inputs() {
        let out = render(
            "请以{{ issuer }}名义起草通知。{% if facts %}事实：{{ facts }}{% endif %}",
            &vars(&[("issuer", "市数据局"), ("facts", "6月30日前完成")]),
        )
        .expect("renders");
        assert_eq!(out, "请以市数据局名义起草通知。事实：6月30日前完成");
    }

    #[test]
    fn hostile_templates_stop_with_a_reason() {
        let none = vars(&[]);
        assert!(matches!(
            render("{{ issuer }}", &none),
            Err(TemplateError::Undefined { line: 1, .. })
        ));
        assert_eq!(
            render(
                "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
                &none
            ),
            Err(TemplateError::TooMuchWork)
        );
        assert_eq!(
            render(
                "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
                &none
            ),
            Err(TemplateError::TooMuchWork)
        );
        assert_eq!(
            render("{{ 'x' * 10000000 }}", &none),
            Err(TemplateError::TooLong)
        );
        assert!(matches!(
            render("第一行\n{% if %}", &none),
            Err(TemplateError::Syntax { line: 2, .. })
        ));
        assert!(check("{{ a }}").is_ok());
    }
}
