//! The one error type front ends see: a stable code, a message that says what to do, and the
//! exit status the terminal uses.

use std::fmt;
use std::path::Path;

pub use wenshu_api::messages::Message;
use wenshu_api::messages::common::os_error;
use wenshu_api::messages::{models, store};
pub use wenshu_api::{ErrorCode, ErrorInfo};
use wenshu_core::{ModelError, ServerFault};
use wenshu_llm::GgufError;
use wenshu_store::StoreError;

/// An error with its code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub code: ErrorCode,
    /// The catalogue id of the message.
    pub id: &'static str,
    /// The message in the language in force.
    pub message: String,
}

impl AppError {
    /// The message, to pass on or show beside other things.
    pub fn to_message(&self) -> Message {
        Message {
            id: self.id,
            text: self.message.clone(),
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
        match err {
            ModelError::InvalidModel { path, reason } => {
                Self::of(ErrorCode::ModelInvalid, model_file_message(&path, &reason))
            }
            ModelError::PromptTooLong {
                prompt_tokens,
                limit,
                context_window,
            } => Self::of(
                ErrorCode::PromptTooLong,
                models::prompt_too_long(prompt_tokens, limit, context_window),
            ),
            ModelError::InvalidConstraint(detail) => {
                Self::of(ErrorCode::InvalidInput, models::invalid_constraint(detail))
            }
            ModelError::Template(detail) => Self::of(ErrorCode::Runtime, models::template(detail)),
            ModelError::Runtime(detail) => Self::of(ErrorCode::Runtime, models::runtime(detail)),
            ModelError::Server {
                fault, url, detail, ..
            } => server_error(fault, &url, &detail),
        }
    }
}

/// An inference server's fault in the user's language.
pub(crate) fn server_error(fault: ServerFault, url: &str, detail: &str) -> AppError {
    use wenshu_api::messages::server as msg;
    let (code, message) = match fault {
        ServerFault::Unreachable => (ErrorCode::Server, msg::unreachable(url, detail)),
        ServerFault::ConnectTimeout => (ErrorCode::Server, msg::connect_timeout(url, detail)),
        ServerFault::FirstTokenTimeout => {
            (ErrorCode::Server, msg::first_token_timeout(url, detail))
        }
        ServerFault::Stalled => (ErrorCode::Server, msg::stalled(url, detail)),
        ServerFault::Interrupted => (ErrorCode::Server, msg::interrupted(url, detail)),
        ServerFault::Status(status @ (401 | 403)) => {
            (ErrorCode::Server, msg::unauthorized(url, status, detail))
        }
        ServerFault::Status(429) => (ErrorCode::Server, msg::busy(url, detail)),
        ServerFault::Status(status) => (ErrorCode::Server, msg::status(url, status, detail)),
        ServerFault::Malformed => (ErrorCode::Server, msg::malformed(url, detail)),
        ServerFault::TooLarge => (ErrorCode::Server, msg::too_large(url, detail)),
        ServerFault::Tls => (ErrorCode::Server, msg::tls(url, detail)),
        ServerFault::NoSuchModel => (ErrorCode::Server, msg::no_such_model(url, detail)),
        ServerFault::NotAllowed => (ErrorCode::Policy, msg::not_allowed(url, detail)),
        ServerFault::KeyFile => (ErrorCode::Config, msg::key_unreadable(url, detail)),
    };
    AppError::of(code, message)
}

/// Why the model file at `path` cannot be loaded. The runtime hands the GGUF reader's error on
/// as English text; reading the header again (a few kilobytes, and only on this failure) gives
/// the reader's error itself, to say in the user's language. A sound header means the runtime
/// refused the model, in its own `reason`.
fn model_file_message(path: &Path, reason: &str) -> Message {
    let shown = path.display();
    match wenshu_llm::inspect(path) {
        Ok(_) => models::runtime_refused(shown, reason),
        Err(GgufError::NotFound) => models::file_missing(shown),
        Err(GgufError::IsDirectory) => models::file_is_directory(shown),
        Err(GgufError::Io(err)) => models::file_unreadable(shown, os_error(&err)),
        Err(GgufError::BadMagic(start)) => models::not_gguf(shown, format!("{start:02x?}")),
        Err(GgufError::UnsupportedVersion(version)) => models::unsupported_version(shown, version),
        Err(GgufError::Damaged(detail)) => models::header_damaged(shown, detail),
        Err(GgufError::Truncated { actual, expected }) => {
            models::truncated(shown, actual, expected)
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        Self::of(
            ErrorCode::Storage,
            match err {
                StoreError::Sqlite(err) => store::database(err),
                StoreError::TooNew { path, found, known } => store::too_new(path, found, known),
                StoreError::Corrupt(detail) => store::corrupt(detail),
            },
        )
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid_model(path: &Path) -> AppError {
        AppError::from(ModelError::InvalidModel {
            path: path.to_path_buf(),
            reason: "the reader's English".into(),
        })
    }

    #[test]
    fn every_server_fault_has_its_own_chinese_message_naming_the_server() {
        let faults = [
            ServerFault::Unreachable,
            ServerFault::ConnectTimeout,
            ServerFault::FirstTokenTimeout,
            ServerFault::Stalled,
            ServerFault::Interrupted,
            ServerFault::Status(401),
            ServerFault::Status(429),
            ServerFault::Status(500),
            ServerFault::Malformed,
            ServerFault::TooLarge,
            ServerFault::Tls,
            ServerFault::NoSuchModel,
            ServerFault::NotAllowed,
        ];
        let mut ids = std::collections::BTreeSet::new();
        for fault in faults {
            let err = AppError::from(ModelError::Server {
                fault,
                url: "https://llm.example:8443".into(),
                detail: "细节".into(),
                partial: "已收到".into(),
            });
            assert!(err.id.starts_with("server."), "{fault:?}: {}", err.id);
            assert!(ids.insert(err.id), "{fault:?} shares {}", err.id);
            assert!(
                err.message.contains("https://llm.example:8443")
                    && err.message.chars().any(wenshu_core::text::is_han),
                "{fault:?}: {}",
                err.message
            );
        }
        let refused = AppError::from(ModelError::Server {
            fault: ServerFault::NotAllowed,
            url: "http://10.0.0.9:8080".into(),
            detail: "/etc/wenshu/policy.toml".into(),
            partial: String::new(),
        });
        assert_eq!(refused.code, ErrorCode::Policy);
    }

    #[test]
    fn a_model_file_that_cannot_load_is_named_by_what_is_wrong_with_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = dir.path().join("notes.gguf");
        std::fs::write(&text, "这不是模型").expect("write");
        let truncated = dir.path().join("half.gguf");
        // A GGUF v3 header declaring one F32 tensor of 1024 values, and no tensor data after it.
        let mut header = b"GGUF".to_vec();
        header.extend(3u32.to_le_bytes());
        header.extend(1u64.to_le_bytes()); // tensors
        header.extend(0u64.to_le_bytes()); // metadata keys
        header.extend(1u64.to_le_bytes());
        header.extend(b"t");
        header.extend(1u32.to_le_bytes()); // dimensions
        header.extend(1024u64.to_le_bytes());
        header.extend(0u32.to_le_bytes()); // F32
        header.extend(0u64.to_le_bytes()); // offset
        std::fs::write(&truncated, &header).expect("write");
        for (path, id) in [
            (dir.path().join("missing.gguf"), "models.file_missing"),
            (dir.path().to_path_buf(), "models.file_is_directory"),
            (text, "models.not_gguf"),
            (truncated, "models.truncated"),
        ] {
            let err = invalid_model(&path);
            assert_eq!(err.code, ErrorCode::ModelInvalid);
            assert_eq!(err.id, id, "{}: {}", path.display(), err.message);
            assert!(
                err.message
                    .starts_with(&format!("无法加载模型 {}", path.display())),
                "Chinese by default, naming the file: {}",
                err.message
            );
        }
    }

    #[test]
    fn runtime_and_store_errors_come_from_the_catalogue() {
        let err = AppError::from(ModelError::PromptTooLong {
            prompt_tokens: 5000,
            limit: 3000,
            context_window: 4096,
        });
        assert_eq!(err.code, ErrorCode::PromptTooLong);
        assert_eq!(err.id, "models.prompt_too_long");
        assert!(
            err.message.contains("5000") && err.message.contains("model.context_tokens"),
            "names the sizes and the setting: {}",
            err.message
        );
        let err = AppError::from(ModelError::Runtime("decode failed".into()));
        assert_eq!((err.code, err.id), (ErrorCode::Runtime, "models.runtime"));
        assert!(
            err.message.ends_with("decode failed"),
            "keeps the runtime's words"
        );
        let err = AppError::from(StoreError::TooNew {
            path: "/w/wenshu.db".into(),
            found: 9,
            known: 4,
        });
        assert_eq!((err.code, err.id), (ErrorCode::Storage, "store.too_new"));
        assert!(err.message.contains("/w/wenshu.db"), "{}", err.message);
    }
}
