//! The drafting types front ends send and receive: defined once, in `wenshu-api`.

pub use wenshu_api::{
    AttendanceInfo, BlockInfo, DocumentInfo, Draft, DraftForm, DraftStep, ExportFormat, FactInfo,
    FactStatus, FactsReport, OutlineInfo, OutlineItem, OutlineSection, RemovalReason, RemovedInfo,
};
