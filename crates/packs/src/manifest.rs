//! A pack's `manifest.toml`: one schema for knowledge packs (a folder of documents) and app
//! packs (a runner, a form, prompt templates). A knowledge pack's manifest of before (`id`,
//! `name`, `version`, `level`) is a manifest of this schema as it stands.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::version::Version;

/// The manifest as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Lowercase letters, digits, `.`, `-` and `_`, 2 to 64 of them.
    pub id: String,
    pub name: String,
    pub version: String,
    /// A knowledge pack's: the classification of its documents; an app's: the highest
    /// classification of material it may handle.
    pub level: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub author: String,
    /// The oldest Wenshu that can run it.
    #[serde(default)]
    pub min_wenshu: Option<String>,
    /// What runs an app; none for a knowledge pack.
    #[serde(default)]
    pub runner: Option<Runner>,
    /// The form an app asks for.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// What an app gives.
    #[serde(default)]
    pub output: Option<Output>,
    /// Knowledge packs an app needs, by id.
    #[serde(default)]
    pub needs: Vec<String>,
}

/// One of the engine's capabilities, with what it needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Runner {
    /// Drafting one 文种 (its Chinese name: 通知, 请示 …).
    Draft { doc_type: String },
    /// Minutes from a transcript; a 会议记录 with `record`.
    Minutes {
        #[serde(default)]
        record: bool,
    },
    /// A summary of documents.
    Summary,
    /// An answer from the knowledge base, with citations.
    Answer,
    /// A chat under the pack's system prompt (`prompts/system.j2`).
    Chat,
    /// The 公文 format checker.
    Check,
    /// Comparing two tables (CSV or XLSX) by a key column; the differences are computed.
    Compare,
}

impl Runner {
    /// The runner's name in manifests and in the catalogue.
    pub fn name(&self) -> &'static str {
        match self {
            Runner::Draft { .. } => "draft",
            Runner::Minutes { .. } => "minutes",
            Runner::Summary => "summary",
            Runner::Answer => "answer",
            Runner::Chat => "chat",
            Runner::Check => "check",
            Runner::Compare => "compare",
        }
    }
}

/// How a form field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Textarea,
    Choice,
    Date,
    Number,
    File,
    List,
}

/// One field of an app's form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// ASCII letters, digits and `_`: the variable the templates read.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub placeholder: String,
    /// The choices of a `choice` field.
    #[serde(default)]
    pub options: Vec<String>,
}

/// What an app gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    Docx,
    Markdown,
    Text,
    Json,
}

impl Output {
    /// The kind's name, as manifests write it.
    pub fn name(self) -> &'static str {
        match self {
            Output::Docx => "docx",
            Output::Markdown => "markdown",
            Output::Text => "text",
            Output::Json => "json",
        }
    }
}

/// What is wrong with a manifest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not TOML, an unknown key, a missing field: with the line.
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("the id “{0}” may hold only lowercase letters, digits, '.', '-' and '_' (2 to 64)")]
    BadId(String),
    #[error("“{0}” is not a version (1, 1.2 or 1.2.3)")]
    BadVersion(String),
    #[error("the pack needs Wenshu {needs} or later; this is {have}")]
    TooNew { needs: String, have: String },
    #[error("the field key “{0}” may hold only ASCII letters, digits and '_'")]
    BadFieldKey(String),
    #[error("the field “{0}” appears twice")]
    DuplicateField(String),
    #[error("the choice field “{0}” has no options")]
    NoOptions(String),
    #[error("a knowledge pack has no form, output or needs; “{0}” needs a runner")]
    FieldsWithoutRunner(String),
    #[error("the name is empty")]
    NoName,
}

/// The 1-based line of `text` where a TOML reader's error `err` is.
pub fn toml_error_line(text: &str, err: &toml::de::Error) -> usize {
    err.span().map_or(1, |s| {
        text[..s.start.min(text.len())].matches('\n').count() + 1
    })
}

/// Whether `id` may name a pack.
pub fn valid_id(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        })
        && id.as_bytes()[0].is_ascii_alphanumeric()
}

impl Manifest {
    /// Reads and checks a manifest for Wenshu `wenshu`.
    pub fn parse(text: &str, wenshu: Version) -> Result<Manifest, ManifestError> {
        let manifest: Manifest = toml::from_str(text).map_err(|err| ManifestError::Syntax {
            line: toml_error_line(text, &err),
            message: err.message().to_string(),
        })?;
        manifest.check(wenshu)?;
        Ok(manifest)
    }

    /// The version, checked on parsing.
    pub fn version(&self) -> Version {
        Version::parse(&self.version).unwrap_or(Version {
            major: 0,
            minor: 0,
            patch: 0,
        })
    }

    /// Whether this is an app pack (it has a runner).
    pub fn is_app(&self) -> bool {
        self.runner.is_some()
    }

    fn check(&self, wenshu: Version) -> Result<(), ManifestError> {
        if !valid_id(&self.id) {
            return Err(ManifestError::BadId(self.id.clone()));
        }
        if self.name.trim().is_empty() {
            return Err(ManifestError::NoName);
        }
        Version::parse(&self.version)
            .ok_or_else(|| ManifestError::BadVersion(self.version.clone()))?;
        if let Some(min) = &self.min_wenshu {
            let needs =
                Version::parse(min).ok_or_else(|| ManifestError::BadVersion(min.clone()))?;
            if needs > wenshu {
                return Err(ManifestError::TooNew {
                    needs: needs.to_string(),
                    have: wenshu.to_string(),
                });
            }
        }
        if self.runner.is_none()
            && (!self.fields.is_empty() || self.output.is_some() || !self.needs.is_empty())
        {
            return Err(ManifestError::FieldsWithoutRunner(self.id.clone()));
        }
        let mut seen = BTreeSet::new();
        for field in &self.fields {
            let key_ok = !field.key.is_empty()
                && field.key.len() <= 40
                && field
                    .key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !field.key.as_bytes()[0].is_ascii_digit();
            if !key_ok {
                return Err(ManifestError::BadFieldKey(field.key.clone()));
            }
            if !seen.insert(field.key.as_str()) {
                return Err(ManifestError::DuplicateField(field.key.clone()));
            }
            if field.kind == FieldKind::Choice && field.options.is_empty() {
                return Err(ManifestError::NoOptions(field.key.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WENSHU: Version = Version {
        major: 0,
        minor: 1,
        patch: 0,
    };

    #[test]
    fn a_knowledge_manifest_of_before_reads_as_it_stands() {
        let text = "# 知识包\nid = \"wenshu-guide\"\nname = \"公文写作与格式指南\"\nversion = \"1.0.0\"\nlevel = \"公开\"\n";
        let m = Manifest::parse(text, WENSHU).expect("reads");
        assert!(!m.is_app());
        assert_eq!(m.version().to_string(), "1.0.0");
    }

    #[test]
    fn an_app_manifest_declares_its_runner_form_and_output() {
        let text = r#"
id = "asset-check"
name = "资产盘点"
version = "1.2"
level = "内部"
category = "综合办公"
description = "比对两份资产清单"
author = "信息中心"
min_wenshu = "0.1"
output = "markdown"
needs = ["wenshu-guide"]
runner = { kind = "compare" }

[[fields]]
key = "before"
label = "上期清单"
kind = "file"
required = true

[[fields]]
key = "scope"
label = "范围"
kind = "choice"
options = ["全部", "固定资产"]
default = "全部"
"#;
        let m = Manifest::parse(text, WENSHU).expect("reads");
        assert_eq!(m.runner, Some(Runner::Compare));
        assert_eq!(m.fields.len(), 2);
        assert_eq!(m.output, Some(Output::Markdown));
    }

    #[test]
    fn bad_manifests_are_refused_with_the_reason() {
        let base = "id = \"a-pack\"\nname = \"包\"\nversion = \"1.0\"\nlevel = \"公开\"\n";
        let err =
            |extra: &str| Manifest::parse(&format!("{base}{extra}"), WENSHU).expect_err(extra);
        match err("colour = \"red\"\n") {
            ManifestError::Syntax { line, message } => {
                assert_eq!(line, 5);
                assert!(message.contains("colour"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            err("min_wenshu = \"9.0\"\n"),
            ManifestError::TooNew { .. }
        ));
        assert!(matches!(
            err(
                "runner = { kind = \"chat\" }\n[[fields]]\nkey = \"x y\"\nlabel = \"甲\"\nkind = \"text\"\n"
            ),
            ManifestError::BadFieldKey(_)
        ));
        assert!(matches!(
            err("output = \"docx\"\n"),
            ManifestError::FieldsWithoutRunner(_)
        ));
        assert!(matches!(
            Manifest::parse(&base.replace("a-pack", "../x"), WENSHU),
            Err(ManifestError::BadId(_))
        ));
        assert!(matches!(
            Manifest::parse(&base.replace("1.0", "1.0-beta"), WENSHU),
            Err(ManifestError::BadVersion(_))
        ));
    }
}
