//! The one error type front ends see: a stable code, a message that says what to do, and the
//! exit status the terminal uses.

use std::fmt;

pub use wenshu_api::{ErrorCode, ErrorInfo};
use wenshu_core::ModelError;
use wenshu_store::StoreError;

/// An error with its code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
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
        ErrorInfo::new(err.code, err.message)
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
