//! The values that cross a front-end boundary, defined once: what `wenshu-app` returns, what
//! `wenshu --json` prints, what the desktop shell sends and what the UI reads. Serde only, so
//! the UI (compiled to WebAssembly) can use it without the model runtime or the database.
//!
//! A new reply type goes here; a new desktop command goes in [`command`].

pub mod audit;
pub mod catalog;
pub mod chat;
pub mod check;
pub mod command;
pub mod draft;
pub mod error;
pub mod eval;
pub mod kb;
pub mod messages;
pub mod minutes;
pub mod models;
pub mod packs;
pub mod progress;
pub mod settings;
pub mod tables;

pub use audit::{
    AuditExportInfo, AuditInfo, AuditVerifyInfo, BadEntryInfo, CheckpointCheck, CheckpointInfo,
    QuotaInfo, UsageInfo, UsageReport, UsageTable,
};
pub use catalog::{AppInfo, AppResult, AppRun, AppStatus, FieldInfo, FieldKind};
pub use chat::{Answer, ConversationDetail, ConversationInfo, MessageInfo};
pub use check::{ChangeInfo, CheckReport, FindingInfo, FixReport, Review, RuleInfo, TextFix};
pub use draft::{
    AttendanceInfo, BlockInfo, DocumentInfo, Draft, DraftForm, DraftStep, ExportFormat, FactInfo,
    FactStatus, FactsReport, OutlineInfo, OutlineItem, OutlineSection, RemovalReason, RemovedInfo,
};
pub use error::{ErrorCode, ErrorInfo};
pub use eval::{
    CaseResult, Dimension, DimensionScore, EvalReport, EvalRunInfo, Figure, MachineInfo, ModelEval,
    SuiteInfo,
};
pub use kb::{Citation, CitedAnswer, KbAddReport, KbDocumentInfo, KbFailure, KbStats, SearchHit};
pub use minutes::{
    CheckedValue, DecisionInfo, MeetingFields, Minutes, MinutesRequest, PointInfo, PointOrigin,
    RunStats, SourceLine, SourceRef, Summary, SummaryLength, SummaryRequest,
};
pub use models::{BenchReport, DoctorCheck, DoctorReport, ModelCheck, ModelInfo};
pub use packs::{KeygenReport, PackChange, PackInfo, PackList, PackSignature};
pub use progress::Progress;
pub use settings::SettingInfo;
pub use tables::{CellChange, ChangedRow, CompareReport, TableRow};
