//! Errors as front ends see them: a stable code to match on, and a message for people.

use serde::{Deserialize, Serialize};

/// What kind of failure it was; front ends match on this, never on message text. The
/// serialised names (`invalid_input`, …) are stable: scripts read them from `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// The desktop window could not reach its shell (seen only inside the window).
    Bridge,
    /// The admin policy refuses it, or cannot take effect (then nothing but `doctor` runs).
    Policy,
    /// An inference server could not be reached, refused the call or broke off.
    Server,
}

impl ErrorCode {
    /// Every code, for tests and documentation.
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::InvalidInput,
        ErrorCode::NotFound,
        ErrorCode::AlreadyExists,
        ErrorCode::Config,
        ErrorCode::NoModel,
        ErrorCode::ModelInvalid,
        ErrorCode::PromptTooLong,
        ErrorCode::Runtime,
        ErrorCode::Io,
        ErrorCode::Storage,
        ErrorCode::Cancelled,
        ErrorCode::Bridge,
        ErrorCode::Policy,
        ErrorCode::Server,
    ];

    /// The stable name, as `--json` prints it.
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
            ErrorCode::Bridge => "bridge",
            ErrorCode::Policy => "policy",
            ErrorCode::Server => "server",
        }
    }

    /// 1 for mistakes the user can fix in what they typed, 2 for model and runtime failures,
    /// 3 for what the admin policy refuses, 130 when the user stopped the work (as for Ctrl-C).
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
            | ErrorCode::Storage
            | ErrorCode::Bridge
            | ErrorCode::Server => 2,
            ErrorCode::Policy => 3,
            ErrorCode::Cancelled => 130,
        }
    }
}

/// An error as it crosses to a front end: `{code, id, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub code: ErrorCode,
    /// The catalogue id of the message (`kb.not_docx`, …): stable, for scripts and support.
    #[serde(default)]
    pub id: String,
    /// The message in the language in force.
    pub message: String,
}

impl ErrorInfo {
    pub fn new(code: ErrorCode, message: crate::messages::Message) -> Self {
        Self {
            code,
            id: message.id.to_string(),
            message: message.text,
        }
    }
}

impl std::fmt::Display for ErrorInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorInfo {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_stable_names() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).expect("a code serialises");
            assert_eq!(
                json,
                serde_json::Value::String(code.as_str().to_string()),
                "{code:?} must serialise as its stable name"
            );
            let back: ErrorCode = serde_json::from_value(json).expect("and reads back");
            assert_eq!(back, code, "{code:?} must read back as itself");
        }
    }
}
