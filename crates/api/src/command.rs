//! The desktop commands, declared once: each has a wire name, its arguments (sent by the UI as
//! the `args` object) and its reply. The shell's handlers take these argument types and return
//! these replies, its build script allows exactly [`NAMES`], and the UI calls them through
//! typed wrappers, so the two sides cannot disagree on a name, an argument or a reply.
//!
//! Commands marked `streams` also take a progress channel (`events`) and a job number
//! (`job`, which `Cancel` stops).

use serde::{Deserialize, Serialize};

use crate::{
    Answer, AppInfo, AuditExportInfo, AuditInfo, AuditVerifyInfo, CheckReport, CheckpointInfo,
    CitedAnswer, ConversationDetail, ConversationInfo, DraftForm, ExportFormat, KbAddReport,
    KbDocumentInfo, ModelInfo, QuotaInfo, Review, SearchHit, SettingInfo, TextFix, UsageReport,
};

/// A desktop command: its wire name, whether it streams progress, and its reply.
pub trait Command: Serialize + for<'de> Deserialize<'de> {
    /// The name the shell registers and the UI invokes.
    const NAME: &'static str;
    /// Whether it takes a progress channel and can be stopped by its job number.
    const STREAMS: bool;
    /// What it returns on success; failures are [`crate::ErrorInfo`].
    type Reply: Serialize + for<'de> Deserialize<'de>;
}

/// What the window shows in its status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesktopStatus {
    pub data_dir: String,
    /// Where files are saved unless the user picks another place.
    pub documents_dir: String,
    pub model: Option<String>,
    pub model_problem: Option<String>,
    /// The admin policy in force, in words (its file and signing key); none without one.
    #[serde(default)]
    pub policy: Option<String>,
}

macro_rules! commands {
    (@streams) => { false };
    (@streams streams) => { true };
    ($(
        $(#[$doc:meta])*
        $name:ident = $wire:literal { $($field:ident : $ty:ty),* $(,)? } -> $reply:ty $(, $streams:ident)? ;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            pub struct $name {
                $(pub $field: $ty,)*
            }

            impl Command for $name {
                const NAME: &'static str = $wire;
                const STREAMS: bool = commands!(@streams $($streams)?);
                type Reply = $reply;
            }
        )*

        /// Every command's wire name, in the order the shell registers them.
        pub const NAMES: &[&str] = &[$($wire),*];

        /// Whether the command named `name` streams progress.
        pub fn streams(name: &str) -> bool {
            match name {
                $($wire => commands!(@streams $($streams)?),)*
                _ => false,
            }
        }
    };
}

commands! {
    /// The data folder and the active model, for the status bar.
    Status = "status" {} -> DesktopStatus;
    /// The app catalogue.
    Apps = "apps" {} -> Vec<AppInfo>;
    /// Stops running job `job`; `false` when no such job runs.
    Cancel = "cancel" { job: u64 } -> bool;
    /// Drafts a document from a form.
    Draft = "draft" { form: DraftForm, job: u64 } -> crate::Draft, streams;
    /// The checker's findings on a text being edited, and the lines a fix can mend.
    ReviewText = "review_text" { text: String } -> Review;
    /// Applies the mechanical fixes: all of them, or those on one line (1-based).
    FixText = "fix_text" { text: String, line: Option<usize> } -> TextFix;
    /// Checks a .txt, .md or .docx file.
    CheckFile = "check_file" { path: String } -> CheckReport;
    /// Saves an edited text of type `doc_type` as the format `path`'s extension names.
    ExportText = "export_text" { text: String, doc_type: String, path: String } -> ExportFormat;
    /// Adds files and folders to the knowledge base.
    KbAdd = "kb_add" { paths: Vec<String>, job: u64 } -> KbAddReport, streams;
    /// The documents of the knowledge base.
    KbList = "kb_list" {} -> Vec<KbDocumentInfo>;
    /// Removes a document, by id or path.
    KbRemove = "kb_remove" { which: String } -> KbDocumentInfo;
    /// Searches the knowledge base.
    KbSearch = "kb_search" { query: String, limit: usize } -> Vec<SearchHit>;
    /// The size of the knowledge base.
    KbStats = "kb_stats" {} -> crate::KbStats;
    /// Answers a question from the knowledge base, with citations.
    AskKb = "ask_kb" { question: String, job: u64 } -> CitedAnswer, streams;
    /// Sends a chat message in conversation `conversation`, or in a new one.
    ChatSend = "chat_send" { conversation: Option<i64>, text: String, job: u64 } -> Answer, streams;
    /// Recent conversations, newest first.
    History = "history" { limit: usize } -> Vec<ConversationInfo>;
    /// One conversation with its messages.
    Conversation = "conversation" { id: i64 } -> ConversationDetail;
    /// The newest audit rows.
    Audit = "audit" { limit: usize } -> Vec<AuditInfo>;
    /// Writes the whole audit log as `csv` or `jsonl`.
    ExportAudit = "export_audit" { path: String, format: String } -> AuditExportInfo;
    /// Recomputes the audit chain and names the first bad entry.
    AuditVerify = "audit_verify" {} -> AuditVerifyInfo;
    /// Writes a signed checkpoint of the audit log for IT.
    AuditCheckpoint = "audit_checkpoint" { path: String } -> CheckpointInfo;
    /// Tokens used today against the policy's daily quotas.
    Quotas = "quotas" {} -> Vec<QuotaInfo>;
    /// Usage of the last `days` days.
    Usage = "usage" { days: u32 } -> UsageReport;
    /// Every setting.
    Settings = "settings" {} -> Vec<SettingInfo>;
    /// Changes one setting.
    SetSetting = "set_setting" { key: String, value: String } -> SettingInfo;
    /// The imported models.
    Models = "models" {} -> Vec<ModelInfo>;
    /// Imports a GGUF file, copied or linked.
    ImportModel = "import_model" { path: String, link: bool } -> ModelInfo;
    /// Registers a model on an OpenAI-compatible inference server (URLs in failover order).
    AddServer = "add_server" { name: String, urls: Vec<String>, model_id: Option<String>, ca: Option<String>, key_file: Option<String> } -> ModelInfo;
    /// Chooses the model that answers.
    UseModel = "use_model" { name: String } -> ModelInfo;
    /// Evaluates models (测评) on the built-in suite, or only some dimensions of it, and writes
    /// the HTML report to `html` when given.
    Eval = "eval" { models: Vec<String>, only: Vec<crate::Dimension>, html: Option<String>, job: u64 } -> crate::EvalReport, streams;
    /// Past evaluation results, newest first.
    EvalHistory = "eval_history" { limit: usize } -> Vec<crate::EvalRunInfo>;
    /// Minutes (a 会议纪要, or a 会议记录) of transcripts or pasted text; `request.resume` goes
    /// on from a stopped run.
    Minutes = "minutes" { request: crate::MinutesRequest, job: u64 } -> crate::Minutes, streams;
    /// A summary of documents whose points cite their pages or sections.
    Summarize = "summarize" { request: crate::SummaryRequest, job: u64 } -> crate::Summary, streams;
    /// The numbered lines of transcripts and pasted text (or, with `documents`, the paragraphs
    /// of documents), as minutes and summaries cite them.
    SourceLines = "source_lines" { files: Vec<String>, text: Option<String>, documents: bool } -> Vec<crate::SourceLine>;
    /// Runs app `id` with its form's `inputs`, saving to `output` when given.
    RunApp = "run_app" { id: String, inputs: std::collections::BTreeMap<String, String>, output: Option<String>, job: u64 } -> crate::AppRun, streams;
    /// Every pack on this desktop.
    Packs = "packs" {} -> crate::PackList;
    /// Installs a pack (a folder or a .wpk archive), or with `update`, replaces an installed one.
    InstallPack = "install_pack" { path: String, update: bool } -> crate::PackChange;
    /// Removes a pack installed here.
    RemovePack = "remove_pack" { id: String } -> crate::PackChange;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_distinct_snake_case_name() {
        let mut seen = std::collections::BTreeSet::new();
        for name in NAMES {
            assert!(seen.insert(*name), "command {name} is declared twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "command {name} must be snake_case: the shell's permission names derive from it"
            );
        }
    }

    #[test]
    fn streaming_commands_take_a_job_number() {
        for name in NAMES.iter().filter(|n| streams(n)) {
            assert!(
                [
                    "draft",
                    "kb_add",
                    "ask_kb",
                    "chat_send",
                    "eval",
                    "minutes",
                    "summarize",
                    "run_app"
                ]
                .contains(name),
                "{name} streams: it must take a job number so that it can be stopped"
            );
        }
        assert!(streams(Draft::NAME) && streams(KbAdd::NAME) && !streams(KbSearch::NAME));
    }
}
