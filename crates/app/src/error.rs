//! The one error type front ends see: a stable code, a message that says what to do, and the
//! exit status the terminal uses.

use std::fmt;

use wenshu_core::ModelError;
use wenshu_store::StoreError;

/// What kind of failure it was; front ends match on this, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// Bad arguments or input from the user.
    InvalidInput,
    /// A named thing (model, conversation) does not exist.
    NotFound,
    /// The name or file is already registered.
    AlreadyExists,
    /// A configuration file or variable is wrong.
    Config,
    /// No model has been imported or chosen yet.
    NoModel,
    /// A model file is missing, damaged or unsupported.
    ModelInvalid,
    /// The prompt does not fit the context window.
    PromptTooLong,
    /// The model runtime failed.
    Runtime,
    /// Reading or writing files failed.
    Io,
    /// The database failed.
    Storage,
    /// The user stopped the work.
    Cancelled,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::NotFound => "not_found",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::Config => "config",
            ErrorCode::NoModel => "no_model",
            ErrorCode::ModelInvalid => "model_invalid",
            ErrorCode::PromptTooLong => "prompt_too_long",
            ErrorCode::Runtime => "runtime",
            ErrorCode::Io => "io",
            ErrorCode::Storage => "storage",
            ErrorCode::Cancelled => "cancelled",
        }
    }

    /// 1 for mistakes the user can fix in what they typed, 2 for model and runtime failures,
    /// 130 when the user stopped the work (as for Ctrl-C).
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorCode::InvalidInput
            | ErrorCode::NotFound
            | ErrorCode::AlreadyExists
            | ErrorCode::Config
            | ErrorCode::PromptTooLong => 1,
            ErrorCode::NoModel
            | ErrorCode::ModelInvalid
            | ErrorCode::Runtime
            | ErrorCode::Io
            | ErrorCode::Storage => 2,
            ErrorCode::Cancelled => 130,
        }
    }
}

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
