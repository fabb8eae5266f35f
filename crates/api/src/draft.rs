//! Drafting 公文: the form front ends send, the document and outline they get back, and the
//! export formats.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::check::FindingInfo;

/// A drafting form as front ends send it: the type and the fields of the app's form, each as
/// typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftForm {
    /// The 文种, by Chinese name or identifier.
    #[serde(rename = "type")]
    pub doc_type: String,
    pub fields: BTreeMap<String, String>,
}

/// A paragraph or heading of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockInfo {
    /// 0 for a paragraph, 1-4 for the heading levels 一、 （一） 1. （1）.
    pub level: u8,
    /// The text without its heading marker.
    pub text: String,
}

/// One attendance line of a 纪要: 出席：甲、乙.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceInfo {
    pub label: String,
    pub names: Vec<String>,
}

/// A whole document as front ends send and receive it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInfo {
    /// The 文种 (通知, 请示, …).
    #[serde(rename = "type")]
    pub doc_type: String,
    #[serde(default)]
    pub copy_number: Option<String>,
    #[serde(default)]
    pub classification: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    pub issuer: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub signers: Vec<String>,
    pub title: String,
    #[serde(default)]
    pub addressees: Vec<String>,
    #[serde(default)]
    pub body: Vec<BlockInfo>,
    #[serde(default)]
    pub attachments: Vec<String>,
    /// A 纪要's 出席, 请假 and 列席 lines.
    #[serde(default)]
    pub attendance: Vec<AttendanceInfo>,
    #[serde(default)]
    pub signature: Option<String>,
    /// 成文日期 as 2024年3月20日.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub sealed: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub copy_to: Vec<String>,
    #[serde(default)]
    pub printed_by: Option<String>,
    #[serde(default)]
    pub printed_on: Option<String>,
}

impl DocumentInfo {
    /// The body's paragraphs, without its headings.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.body
            .iter()
            .filter(|b| b.level == 0)
            .map(|b| b.text.as_str())
    }

    /// The body's headings at `level` (1 for 一、).
    pub fn headings(&self, level: u8) -> impl Iterator<Item = &str> {
        self.body
            .iter()
            .filter(move |b| b.level == level)
            .map(|b| b.text.as_str())
    }
}

/// The outline the model chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineInfo {
    /// The 事由 of the title.
    pub subject: String,
    pub sections: Vec<OutlineSection>,
}

/// One section of the outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineSection {
    pub key: String,
    pub label: String,
    /// For numbered items: their headings and what each is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<OutlineItem>,
}

/// One numbered item of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineItem {
    pub heading: String,
    /// What the item is about, when the model wrote more than a heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
}

/// One model call of a draft, for metering and the benchmark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftStep {
    pub label: String,
    pub prompt_tokens: u32,
    /// Prompt tokens the model kept from the previous call instead of reading them again.
    pub reused_tokens: u32,
    pub completion_tokens: u32,
    pub milliseconds: u64,
}

/// A finished draft: the document, its outline, its text and what the checker found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub document: DocumentInfo,
    pub outline: OutlineInfo,
    /// The document as plain text, one paragraph per line (the lines findings refer to).
    pub text: String,
    pub findings: Vec<FindingInfo>,
    pub model: String,
    pub model_sha256: String,
    pub steps: Vec<DraftStep>,
    pub milliseconds: u64,
    /// Where each fact went and what was taken out of the model's text.
    #[serde(default)]
    pub facts: FactsReport,
    /// The data level (公开, 内部, 敏感): of the passage, or for an output the highest of its
    /// inputs.
    #[serde(default)]
    pub level: String,
}

/// How a draft kept the facts it was given and what Wenshu took out of the model's text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsReport {
    /// Every fact of the facts file, in order.
    pub facts: Vec<FactInfo>,
    /// Sentences the model wrote that the draft does not carry.
    pub removed: Vec<RemovedInfo>,
}

impl FactsReport {
    /// How many facts are in the draft with each status.
    pub fn count(&self, status: FactStatus) -> usize {
        self.facts.iter().filter(|f| f.status == status).count()
    }
}

/// One fact and how it got into the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactInfo {
    /// The fact as given.
    pub text: String,
    /// The section (and item) that carries it.
    pub section: String,
    pub status: FactStatus,
}

/// How a fact got into the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactStatus {
    /// The model wrote it.
    Written,
    /// The model wrote it when asked again with the facts it had left out.
    Repaired,
    /// Wenshu put it in as a sentence of its own, from the facts file.
    Inserted,
    /// Not in the draft: only when drafting runs without its guard (`draft.guard = false`).
    Missing,
}

/// A sentence taken out of the model's text, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedInfo {
    /// The section it was in.
    pub section: String,
    pub sentence: String,
    pub reason: RemovalReason,
    /// What showed it: the invented number or name, the words about the task, the placeholder.
    pub detail: String,
}

/// Why a sentence was taken out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// It names a number, organisation, place or person that nothing the user gave names.
    Invented,
    /// It talks about the writing instead of being it.
    TaskTalk,
    /// It leaves a placeholder (XX, 【】) to fill.
    Placeholder,
    /// The draft says it already.
    Repeated,
}

/// The formats a document can be saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Docx,
    Markdown,
    Text,
}
