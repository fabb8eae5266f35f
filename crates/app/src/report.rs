//! The API's results are the reply types of `wenshu-api`; this module turns the store's records
//! into them.

use wenshu_store::{ConversationSummary, MessageRecord, ModelRecord};

pub use wenshu_api::{
    Answer, AuditInfo, BenchReport, ConversationDetail, ConversationInfo, DoctorCheck,
    DoctorReport, MessageInfo, ModelCheck, ModelInfo,
};

/// A model of the registry, as front ends list it.
pub(crate) fn model_info(record: ModelRecord, active: bool) -> ModelInfo {
    let spec = record
        .is_remote()
        .then(|| crate::remote::ServerSpec::of(&record).ok())
        .flatten();
    ModelInfo {
        backend: record.backend.clone(),
        urls: spec.as_ref().map(|s| s.urls.clone()).unwrap_or_default(),
        model_id: spec.and_then(|s| s.model_id),
        name: record.name,
        display_name: record.metadata.name,
        path: record.path,
        sha256: record.sha256,
        architecture: record.metadata.architecture,
        quantization: record.metadata.quantization,
        context_length: record.metadata.context_length,
        parameters: record.metadata.parameters,
        file_size: record.metadata.file_size,
        has_chat_template: record.metadata.chat_template.is_some(),
        imported_at_ms: record.imported_at_ms,
        active,
    }
}

pub(crate) fn conversation_info(c: ConversationSummary) -> ConversationInfo {
    ConversationInfo {
        id: c.id,
        title: c.title,
        app: c.app,
        created_at_ms: c.created_at_ms,
        updated_at_ms: c.updated_at_ms,
        messages: c.messages,
    }
}

pub(crate) fn message_info(m: MessageRecord) -> MessageInfo {
    MessageInfo {
        id: m.id,
        role: m.role.as_str().to_string(),
        content: m.content,
        created_at_ms: m.created_at_ms,
        cancelled: m.cancelled,
        failed: m.failed,
        model_sha256: m.model_sha256,
    }
}
