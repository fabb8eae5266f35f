//! The one error type front ends see: a stable code, a message that says what to do, and the
//! exit status the terminal uses.

use std::fmt;

pub use wenshu_api::messages::Message;
use wenshu_api::messages::common::os_error;
pub use wenshu_api::{ErrorCode, ErrorInfo};
use wenshu_core::ModelError;
use wenshu_store::StoreError;

/// An error with its code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub code: ErrorCode,
    /// The catalogue id of the message; empty while a message is not in the catalogue yet.
    pub id: &'static str,
    /// The message in the language in force.
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            id: "",
            message: message.into(),
        }
    }

    /// An error whose message comes from the catalogue (`wenshu_api::messages`).
    pub fn of(code: ErrorCode, message: Message) -> Self {
        Self {
            code,
            id: message.id,
            message: message.text,
        }
    }

    /// A failed file operation: the catalogue's message, then what the system said.
    pub fn io_of(message: Message, err: &std::io::Error) -> Self {
        Self::of(ErrorCode::Io, message.with_detail(os_error(err)))
    }

    pub fn io(what: impl fmt::Display, err: std::io::Error) -> Self {
        Self::new(ErrorCode::Io, format!("{what}: {err}"))
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<AppError> for ErrorInfo {
    fn from(err: AppError) -> Self {
        ErrorInfo {
            code: err.code,
            id: err.id.to_string(),
            message: err.message,
        }
    }
}

impl From<ModelError> for AppError {
    fn from(err: ModelError) -> Self {
        let code = match &err {
            ModelError::InvalidModel { .. } => ErrorCode::ModelInvalid,
            ModelError::PromptTooLong { .. } => ErrorCode::PromptTooLong,
            ModelError::InvalidConstraint(_) => ErrorCode::InvalidInput,
            ModelError::Template(_) | ModelError::Runtime(_) => ErrorCode::Runtime,
        };
        Self::new(code, err.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        Self::new(ErrorCode::Storage, err.to_string())
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
