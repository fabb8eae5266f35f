//! The message catalogue: every message a user can see, with a stable id and its text in
//! Simplified Chinese (the default) and English (for IT staff, `ui.language = "en"` or
//! `WENSHU_LANG=en`). Both front ends take their messages from here; a message is a function,
//! so its arguments are checked where it is used, and its id never changes once published.
//!
//! The catalogue is split by area; a new message goes in the area of the code that raises it.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// Defines catalogue functions: `name(args) = "area.id" { zh: "…{arg}…", en: "…{arg}…" }`.
/// Each argument is anything that displays; the texts name them as format arguments.
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $name:ident ( $($arg:ident),* ) = $id:literal { zh: $zh:literal, en: $en:literal $(,)? }
    )*) => {
        $(
            $(#[$doc])*
            #[allow(clippy::too_many_arguments)]
            pub fn $name($($arg: impl std::fmt::Display),*) -> $crate::messages::Message {
                $crate::messages::Message {
                    id: $id,
                    text: match $crate::messages::language() {
                        $crate::messages::Lang::Zh => format!($zh),
                        $crate::messages::Lang::En => format!($en),
                    },
                }
            }
        )*

        /// The ids of this area's messages.
        #[allow(dead_code)]
        pub const IDS: &[&str] = &[$($id),*];
    };
}

pub mod apps;
pub mod audit;
pub mod chat;
pub mod check;
pub mod cli;
pub mod common;
pub mod desktop;
pub mod draft;
pub mod eval;
pub mod files;
pub mod help;
pub mod kb;
pub mod minutes;
pub mod models;
pub mod packs;
pub mod policy;
pub mod server;
pub mod settings;
pub mod store;
pub mod tables;

/// A language Wenshu speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese, what officials read.
    #[default]
    Zh,
    /// English, for IT staff.
    En,
}

impl Lang {
    /// Reads `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en_US` and the like.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        let base = lower.split(['-', '_', '.']).next().unwrap_or("");
        match base {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

static LANGUAGE: AtomicU8 = AtomicU8::new(0);

/// Sets the language of every message from now on (one user, one language per process).
pub fn set_language(lang: Lang) {
    LANGUAGE.store(
        match lang {
            Lang::Zh => 0,
            Lang::En => 1,
        },
        Ordering::Relaxed,
    );
}

/// The language messages are written in.
pub fn language() -> Lang {
    match LANGUAGE.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

/// A message for people: its stable id and its text in the language in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: &'static str,
    pub text: String,
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Message {
    /// The message with `detail` after it (an underlying error, a list).
    pub fn with_detail(mut self, detail: impl fmt::Display) -> Self {
        let sep = match language() {
            Lang::Zh => "：",
            Lang::En => ": ",
        };
        self.text = format!("{}{sep}{detail}", self.text);
        self
    }
}

impl ErrorCode {
    /// What a failure of this kind is, in a word or two, shown before its message.
    pub fn label(self) -> &'static str {
        match (language(), self) {
            (Lang::Zh, ErrorCode::InvalidInput) => "输入有误",
            (Lang::Zh, ErrorCode::NotFound) => "未找到",
            (Lang::Zh, ErrorCode::AlreadyExists) => "已经存在",
            (Lang::Zh, ErrorCode::Config) => "设置有误",
            (Lang::Zh, ErrorCode::NoModel) => "没有可用的模型",
            (Lang::Zh, ErrorCode::ModelInvalid) => "模型文件不可用",
            (Lang::Zh, ErrorCode::PromptTooLong) => "内容超出模型上下文",
            (Lang::Zh, ErrorCode::Runtime) => "运行出错",
            (Lang::Zh, ErrorCode::Io) => "文件读写出错",
            (Lang::Zh, ErrorCode::Storage) => "数据库出错",
            (Lang::Zh, ErrorCode::Cancelled) => "已停止",
            (Lang::Zh, ErrorCode::Bridge) => "窗口与程序失去联系",
            (Lang::Zh, ErrorCode::Policy) => "单位管理策略不允许",
            (Lang::En, ErrorCode::InvalidInput) => "invalid input",
            (Lang::En, ErrorCode::NotFound) => "not found",
            (Lang::En, ErrorCode::AlreadyExists) => "already exists",
            (Lang::En, ErrorCode::Config) => "configuration error",
            (Lang::En, ErrorCode::NoModel) => "no model",
            (Lang::En, ErrorCode::ModelInvalid) => "model unusable",
            (Lang::En, ErrorCode::PromptTooLong) => "prompt too long",
            (Lang::En, ErrorCode::Runtime) => "runtime error",
            (Lang::En, ErrorCode::Io) => "file error",
            (Lang::En, ErrorCode::Storage) => "database error",
            (Lang::En, ErrorCode::Cancelled) => "stopped",
            (Lang::En, ErrorCode::Bridge) => "window lost its connection",
            (Lang::En, ErrorCode::Policy) => "not allowed by the admin policy",
            (Lang::Zh, ErrorCode::Server) => "推理服务器出错",
            (Lang::En, ErrorCode::Server) => "inference server error",
        }
    }
}

/// Every message id of the catalogue, area by area.
pub fn all_ids() -> Vec<&'static str> {
    [
        cli::IDS,
        common::IDS,
        desktop::IDS,
        files::IDS,
        settings::IDS,
        models::IDS,
        check::IDS,
        kb::IDS,
        store::IDS,
        apps::IDS,
        audit::IDS,
        draft::IDS,
        chat::IDS,
        eval::IDS,
        minutes::IDS,
        packs::IDS,
        policy::IDS,
        server::IDS,
        tables::IDS,
    ]
    .concat()
}

/// Renders a message in Chinese and in English, `(zh, en)`, one test at a time: the language
/// is the whole process's, and tests run side by side.
#[cfg(test)]
pub(crate) fn in_both(message: impl Fn() -> Message) -> (Message, Message) {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    set_language(Lang::En);
    let en = message();
    set_language(Lang::Zh);
    let zh = message();
    (zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_unique_and_name_their_area() {
        let mut seen = std::collections::BTreeSet::new();
        for id in all_ids() {
            assert!(seen.insert(id), "message id {id} is used twice");
            assert!(
                id.contains('.')
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || "._".contains(c)),
                "message id {id} must be area.name in lower case"
            );
        }
    }

    #[test]
    fn languages_parse_from_locale_names() {
        for (text, lang) in [
            ("zh", Lang::Zh),
            ("zh_CN.UTF-8", Lang::Zh),
            ("zh-CN", Lang::Zh),
            ("en", Lang::En),
            ("en_US.UTF-8", Lang::En),
            ("EN", Lang::En),
        ] {
            assert_eq!(Lang::parse(text), Some(lang), "{text} names {lang:?}");
        }
        assert_eq!(Lang::parse("fr"), None, "French is not offered");
    }
}
