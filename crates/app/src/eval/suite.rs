//! A 测评 suite: six TOML files (`suite.toml`, `drafting.toml`, `retrieval.toml`,
//! `instructions.toml`, `minutes.toml`, `summaries.toml`) in a folder, or the default suite built into the binary. A suite that
//! cannot be read is refused with the file and line, before any model time is spent.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;
use wenshu_api::messages::eval as msg;
use wenshu_core::document::{DocType, Element, Requirement};

use crate::draft::DraftRequest;
use crate::error::{AppError, ErrorCode, Result};

/// The suite's files, in the order they are read and hashed.
pub const FILES: [&str; 6] = [
    "suite.toml",
    "drafting.toml",
    "retrieval.toml",
    "instructions.toml",
    "minutes.toml",
    "summaries.toml",
];

const DEFAULT: [&str; 6] = [
    include_str!("../../../../prompts/eval/suite.toml"),
    include_str!("../../../../prompts/eval/drafting.toml"),
    include_str!("../../../../prompts/eval/retrieval.toml"),
    include_str!("../../../../prompts/eval/instructions.toml"),
    include_str!("../../../../prompts/eval/minutes.toml"),
    include_str!("../../../../prompts/eval/summaries.toml"),
];

/// What a suite is called.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub description: String,
    /// The most tokens of a piece for minutes and summaries (`long.piece_tokens`), so that
    /// documents of a suite-sized length go through pieces and merges as long ones do.
    #[serde(default)]
    pub piece_tokens: Option<u32>,
}

/// A drafting case: the type, the fixed elements and the facts file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftCase {
    pub id: String,
    #[serde(rename = "type")]
    pub doc_type: Spanned<String>,
    pub issuer: String,
    pub topic: String,
    #[serde(default)]
    pub addressees: Vec<String>,
    #[serde(default)]
    pub signers: Vec<String>,
    pub facts: String,
    /// Where the facts and the expected values come from.
    pub source: String,
    /// The body's length in characters that counts as within bounds.
    #[serde(default)]
    pub length: Option<[usize; 2]>,
}

impl DraftCase {
    /// The request the case drafts, with a fixed seed.
    pub fn request(&self, doc_type: DocType) -> DraftRequest {
        DraftRequest {
            doc_type: Some(doc_type),
            issuer: self.issuer.clone(),
            topic: self.topic.clone(),
            addressees: self.addressees.clone(),
            signers: self.signers.clone(),
            facts: Some(self.facts.clone()),
            seed: Some(42),
            ..DraftRequest::default()
        }
    }
}

/// A document of the suite's knowledge base.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    pub text: String,
    pub source: String,
}

/// A retrieval query and the document that answers it (`""`: none does).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub id: String,
    pub query: String,
    pub expect: Spanned<String>,
    /// Whether a cited answer is asked for it too.
    #[serde(default)]
    pub answer: bool,
    pub source: String,
}

/// A format constraint an answer must meet.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    Items { count: usize },
    Lines { count: usize },
    MaxChars { count: usize },
    MinChars { count: usize },
    Json { keys: Vec<String> },
    Contains { text: String },
    Excludes { text: String },
    EndsWith { text: String },
    StartsWith { text: String },
}

/// An instruction-following case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstructionCase {
    pub id: String,
    pub prompt: String,
    pub checks: Vec<Check>,
    pub source: String,
}

/// A decision a transcript makes: its owner and deadline, 待确认 for one the transcript does
/// not give.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownDecision {
    pub owner: String,
    pub deadline: String,
}

/// A minutes case: a transcript, written out under `name` (its extension gives the format),
/// the decisions and key facts it holds, and 议定事项 written by hand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesCase {
    pub id: String,
    pub name: Spanned<String>,
    pub text: String,
    pub decisions: Vec<KnownDecision>,
    #[serde(default)]
    pub facts: Vec<String>,
    #[serde(default)]
    pub reference: String,
    pub source: String,
}

/// A summary case: a long document, written out under `name`, its key facts, and a summary
/// written by hand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryCase {
    pub id: String,
    pub name: Spanned<String>,
    pub text: String,
    #[serde(default)]
    pub facts: Vec<String>,
    #[serde(default)]
    pub reference: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MinutesFile {
    transcripts: Vec<MinutesCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummariesFile {
    documents: Vec<SummaryCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftingFile {
    cases: Vec<DraftCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetrievalFile {
    documents: Vec<Document>,
    queries: Vec<Query>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InstructionsFile {
    cases: Vec<InstructionCase>,
}

/// A suite, read and checked.
#[derive(Debug, Clone)]
pub struct Suite {
    pub header: Header,
    /// Where it was read from, `built-in` for the default.
    pub source: String,
    pub sha256: String,
    pub drafting: Vec<(DraftCase, DocType)>,
    pub documents: Vec<Document>,
    pub queries: Vec<Query>,
    pub instructions: Vec<InstructionCase>,
    pub transcripts: Vec<MinutesCase>,
    pub long_documents: Vec<SummaryCase>,
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Reads one file of the suite, with an error naming the file and line.
fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|err| {
        let line = err.span().map_or(1, |s| line_of(text, s.start));
        AppError::of(
            ErrorCode::InvalidInput,
            msg::suite_invalid(file, line, err.message()),
        )
    })
}

impl Suite {
    /// The suite built into Wenshu.
    pub fn builtin() -> Result<Suite> {
        Suite::from_texts("built-in", &DEFAULT.map(String::from))
    }

    /// The suite in folder `dir`: all four files, each UTF-8 TOML.
    pub fn from_dir(dir: &Path) -> Result<Suite> {
        let mut texts: Vec<String> = Vec::new();
        for file in FILES {
            let path = dir.join(file);
            let bytes = std::fs::read(&path)
                .map_err(|err| AppError::io_of(msg::suite_unreadable(path.display()), &err))?;
            let text = String::from_utf8(bytes).map_err(|err| {
                let valid = err.utf8_error().valid_up_to();
                let line = err.as_bytes()[..valid]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                AppError::of(
                    ErrorCode::InvalidInput,
                    msg::suite_not_utf8(path.display(), line),
                )
            })?;
            texts.push(text);
        }
        let texts: [String; 6] = texts
            .try_into()
            .unwrap_or_else(|_| std::array::from_fn(|_| String::new()));
        Suite::from_texts(&dir.display().to_string(), &texts)
    }

    fn from_texts(source: &str, texts: &[String; 6]) -> Result<Suite> {
        let mut hasher = Sha256::new();
        for (file, text) in FILES.iter().zip(texts) {
            hasher.update(file.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        let sha256: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let header: Header = parse(FILES[0], &texts[0])?;
        let drafting: DraftingFile = parse(FILES[1], &texts[1])?;
        let retrieval: RetrievalFile = parse(FILES[2], &texts[2])?;
        let instructions: InstructionsFile = parse(FILES[3], &texts[3])?;
        let minutes: MinutesFile = parse(FILES[4], &texts[4])?;
        let summaries: SummariesFile = parse(FILES[5], &texts[5])?;
        let invalid = |file: &str, text: &str, offset: usize, problem: String| {
            AppError::of(
                ErrorCode::InvalidInput,
                msg::suite_invalid(file, line_of(text, offset), problem),
            )
        };
        let mut cases = Vec::new();
        for case in drafting.cases {
            let at = case.doc_type.span().start;
            let doc_type = DocType::parse(case.doc_type.get_ref()).ok_or_else(|| {
                invalid(
                    FILES[1],
                    &texts[1],
                    at,
                    msg::unknown_type(&case.id, case.doc_type.get_ref()).text,
                )
            })?;
            if let Some(problem) = element_problem(doc_type, &case) {
                return Err(invalid(FILES[1], &texts[1], at, problem));
            }
            cases.push((case, doc_type));
        }
        for query in &retrieval.queries {
            let expect = query.expect.get_ref();
            if !expect.is_empty() && !retrieval.documents.iter().any(|d| &d.name == expect) {
                return Err(invalid(
                    FILES[2],
                    &texts[2],
                    query.expect.span().start,
                    msg::unknown_document(&query.id, expect).text,
                ));
            }
        }
        check_unique(FILES[1], cases.iter().map(|(c, _)| c.id.as_str()))?;
        check_unique(FILES[2], retrieval.queries.iter().map(|q| q.id.as_str()))?;
        check_unique(
            FILES[2],
            retrieval.documents.iter().map(|d| d.name.as_str()),
        )?;
        check_unique(FILES[3], instructions.cases.iter().map(|c| c.id.as_str()))?;
        check_unique(FILES[4], minutes.transcripts.iter().map(|c| c.id.as_str()))?;
        check_unique(FILES[5], summaries.documents.iter().map(|c| c.id.as_str()))?;
        for (file, text, name) in minutes
            .transcripts
            .iter()
            .map(|c| (FILES[4], &texts[4], &c.name))
            .chain(
                summaries
                    .documents
                    .iter()
                    .map(|c| (FILES[5], &texts[5], &c.name)),
            )
        {
            if let Some(problem) = name_problem(name.get_ref(), file == FILES[4]) {
                return Err(invalid(file, text, name.span().start, problem));
            }
        }
        Ok(Suite {
            header,
            source: source.to_string(),
            sha256,
            drafting: cases,
            documents: retrieval.documents,
            queries: retrieval.queries,
            instructions: instructions.cases,
            transcripts: minutes.transcripts,
            long_documents: summaries.documents,
        })
    }
}

/// What is wrong with a case's fixed elements for its type, in words.
fn element_problem(doc_type: DocType, case: &DraftCase) -> Option<String> {
    let check = |element: Element, given: bool| match doc_type.requirement(element) {
        Requirement::Required if !given => {
            Some(msg::case_needs(&case.id, doc_type, element.name()).text)
        }
        Requirement::Forbidden if given => {
            Some(msg::case_forbids(&case.id, doc_type, element.name()).text)
        }
        _ => None,
    };
    check(Element::Addressee, !case.addressees.is_empty())
        .or_else(|| check(Element::Signer, !case.signers.is_empty()))
        .or_else(|| {
            (case.facts.trim().is_empty() || case.issuer.trim().is_empty())
                .then(|| msg::case_empty(&case.id).text)
        })
}

/// What is wrong with the file name of a transcript (`transcript`) or a long document: a
/// folder in it, or an extension Wenshu does not read.
fn name_problem(name: &str, transcript: bool) -> Option<String> {
    let allowed: &[&str] = if transcript {
        &["txt", "md", "srt", "vtt"]
    } else {
        &["txt", "md", "html", "htm"]
    };
    let extension = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    let plain = !name.contains(['/', '\\']) && name != ".." && !name.trim().is_empty();
    (!plain || !extension.is_some_and(|e| allowed.contains(&e.as_str())))
        .then(|| msg::bad_file_name(name, allowed.join("、")).text)
}

fn check_unique<'a>(file: &str, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::duplicate_id(file, id),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_suite_reads_and_has_its_cases() {
        let suite = Suite::builtin().expect("the default suite reads");
        assert!(suite.drafting.len() >= 45, "{}", suite.drafting.len());
        for t in DocType::ALL {
            let n = suite.drafting.iter().filter(|(_, d)| *d == t).count();
            assert!(n >= 3, "{t}: {n} cases");
        }
        assert!(suite.queries.len() >= 30);
        assert!(suite.queries.iter().any(|q| q.expect.get_ref().is_empty()));
        assert!(suite.instructions.len() >= 20);
        assert!(suite.transcripts.len() >= 5);
        assert!(suite.long_documents.len() >= 3);
        // Every known decision and fact is in its transcript, word for word.
        for case in &suite.transcripts {
            for d in &case.decisions {
                assert!(case.text.contains(&d.owner), "{}: {}", case.id, d.owner);
                let deadline = d.deadline.trim_end_matches('前');
                assert!(
                    d.deadline == "待确认" || case.text.contains(deadline),
                    "{}: {}",
                    case.id,
                    d.deadline
                );
            }
            for f in &case.facts {
                assert!(case.text.contains(f.as_str()), "{}: {f}", case.id);
            }
        }
        for case in &suite.long_documents {
            for f in &case.facts {
                assert!(case.text.contains(f.as_str()), "{}: {f}", case.id);
            }
        }
        assert_eq!(suite.sha256.len(), 64);
        assert_eq!(
            Suite::builtin().expect("again").sha256,
            suite.sha256,
            "the hash is stable"
        );
    }

    fn write_suite(dir: &Path, change: &dyn Fn(&str, String) -> Vec<u8>) {
        for (file, text) in FILES.iter().zip(DEFAULT) {
            std::fs::write(dir.join(file), change(file, text.to_string())).expect("write");
        }
    }

    #[test]
    fn bad_suites_are_refused_with_the_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_suite(dir.path(), &|_, t| t.into_bytes());
        Suite::from_dir(dir.path()).expect("a copy of the default suite reads");

        // An unknown type.
        write_suite(dir.path(), &|f, t| {
            if f == "drafting.toml" {
                t.replacen("type = \"通知\"", "type = \"请示报告\"", 1)
                    .into_bytes()
            } else {
                t.into_bytes()
            }
        });
        let text = std::fs::read_to_string(dir.path().join("drafting.toml")).expect("read");
        let line = text
            .lines()
            .position(|l| l.contains("请示报告"))
            .expect("changed")
            + 1;
        let err = Suite::from_dir(dir.path()).expect_err("unknown type");
        assert_eq!(err.id, "eval.suite_invalid");
        assert!(err.message.contains("drafting.toml"), "{}", err.message);
        assert!(
            err.message.contains(&format!("第 {line} 行")),
            "{}",
            err.message
        );

        // A missing field.
        write_suite(dir.path(), &|f, t| {
            if f == "instructions.toml" {
                t.replacen("prompt = ", "promt = ", 1).into_bytes()
            } else {
                t.into_bytes()
            }
        });
        let err = Suite::from_dir(dir.path()).expect_err("missing field");
        assert!(err.message.contains("instructions.toml"), "{}", err.message);

        // A transcript written outside its folder.
        write_suite(dir.path(), &|f, t| {
            if f == "minutes.toml" {
                t.replacen("name = \"防汛工作部署会.srt\"", "name = \"../防汛.srt\"", 1)
                    .into_bytes()
            } else {
                t.into_bytes()
            }
        });
        let err = Suite::from_dir(dir.path()).expect_err("a folder in the name");
        assert!(
            err.message.contains("minutes.toml") && err.message.contains("../防汛.srt"),
            "{}",
            err.message
        );

        // A file that is not UTF-8.
        write_suite(dir.path(), &|f, t| {
            if f == "retrieval.toml" {
                let mut bytes = t.into_bytes();
                bytes.splice(0..0, b"# a\n# b\n\xff\xfe\n".iter().copied());
                bytes
            } else {
                t.into_bytes()
            }
        });
        let err = Suite::from_dir(dir.path()).expect_err("not UTF-8");
        assert_eq!(err.id, "eval.suite_encoding");
        assert!(
            err.message.contains("retrieval.toml") && err.message.contains("第 3 行"),
            "{}",
            err.message
        );
    }
}
