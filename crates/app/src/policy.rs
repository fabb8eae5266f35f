//! The admin policy (单位管理策略) on this desktop: where it is, reading it, and failing closed
//! when it cannot take effect.
//!
//! The policy is `/etc/wenshu/policy.toml`, its signature `policy.toml.minisig` beside it,
//! checked against the keys pinned in `policy.pub` in the same root-owned folder. Where that
//! file does not exist, `WENSHU_POLICY` may name another (for tests, and for a desktop IT
//! manages some other way): a user who names their own policy can only tighten what nobody
//! imposed. With neither, no policy applies.

use std::path::{Path, PathBuf};

use wenshu_api::messages::policy as msg;
use wenshu_packs::{Policy, PolicyError, SignError, TrustedKey};

use crate::error::{AppError, ErrorCode, Result};

/// The system-wide policy file.
pub const SYSTEM_POLICY: &str = "/etc/wenshu/policy.toml";
/// The variable that names a policy file where the system one does not exist.
pub const POLICY_VAR: &str = "WENSHU_POLICY";

/// A policy that took effect, and the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    pub path: PathBuf,
    pub policy: Policy,
    /// The key that signed it.
    pub signer: String,
    /// SHA-256 of its text, as the audit log records it.
    pub sha256: String,
}

impl LoadedPolicy {
    /// The file's name as messages show it.
    pub fn label(&self) -> String {
        self.path.display().to_string()
    }

    /// Its settings layer: the settings it fixes, and the file named as their reason.
    pub fn layer(&self) -> crate::config::PolicyLayer {
        crate::config::PolicyLayer {
            file: self.label(),
            locked: self.policy.locked.clone(),
        }
    }
}

/// The policy file in force, if any: the system one, else the one `WENSHU_POLICY` names.
pub fn policy_file(env: &[(String, String)]) -> Option<PathBuf> {
    let system = Path::new(SYSTEM_POLICY);
    if system.exists() {
        return Some(system.to_path_buf());
    }
    env.iter()
        .find(|(name, value)| name == POLICY_VAR && !value.is_empty())
        .map(|(_, value)| PathBuf::from(value))
}

/// The signature file and the pinned keys file of a policy file.
pub fn companions(path: &Path) -> (PathBuf, PathBuf) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (
        path.with_file_name(format!("{name}.minisig")),
        path.with_file_name("policy.pub"),
    )
}

/// Today as (year, month, day) in China time, for the policy's expiry.
pub fn today(unix_ms: i64) -> (u32, u32, u32) {
    wenshu_core::document::Date::from_unix_ms(unix_ms, 8 * 60).map_or((1970, 1, 1), |d| {
        (u32::from(d.year), u32::from(d.month), u32::from(d.day))
    })
}

/// Reads the policy in force. `Ok(None)`: no policy. An error means it cannot take effect,
/// and then nothing but `wenshu doctor` may run; the message names the file and the line.
pub fn load(env: &[(String, String)], now_ms: i64) -> Result<Option<LoadedPolicy>> {
    let Some(path) = policy_file(env) else {
        return Ok(None);
    };
    load_file(&path, now_ms).map(Some)
}

fn broken(path: &Path, line: usize, detail: impl std::fmt::Display) -> AppError {
    AppError::of(ErrorCode::Policy, msg::broken(path.display(), line, detail))
}

/// Reads and checks one policy file.
pub fn load_file(path: &Path, now_ms: i64) -> Result<LoadedPolicy> {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|err| {
            let line = err.as_bytes()[..err.utf8_error().valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            broken(path, line, "not UTF-8")
        })?,
        Err(err) => return Err(broken(path, 1, err)),
    };
    let (sig_path, keys_path) = companions(path);
    let unsigned =
        |detail: String| AppError::of(ErrorCode::Policy, msg::unsigned(path.display(), detail));
    let signature = match std::fs::read_to_string(&sig_path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            return Err(unsigned(
                msg::signature_unreadable(sig_path.display(), err).text,
            ));
        }
    };
    let keys_text = std::fs::read_to_string(&keys_path)
        .map_err(|err| unsigned(msg::signature_unreadable(keys_path.display(), err).text))?;
    let keys = pinned_keys(&keys_text)
        .map_err(|err| unsigned(msg::signature_unreadable(keys_path.display(), err).text))?;
    let policy = Policy::verified(&text, signature.as_deref(), &keys, today(now_ms)).map_err(
        |err| match err {
            PolicyError::Syntax { line, message } => broken(path, line, message),
            PolicyError::Signature(SignError::Unsigned) => {
                unsigned(msg::no_signature(sig_path.display()).text)
            }
            PolicyError::Signature(SignError::Mismatch(_)) => {
                unsigned(msg::signature_mismatch().text)
            }
            PolicyError::Signature(SignError::UnknownKey(key)) => {
                unsigned(msg::signature_unknown_key(key).text)
            }
            PolicyError::Signature(err) => {
                unsigned(msg::signature_unreadable(sig_path.display(), err).text)
            }
            PolicyError::Expired(date) => {
                AppError::of(ErrorCode::Policy, msg::expired(path.display(), date))
            }
            other => AppError::of(ErrorCode::Policy, msg::invalid(path.display(), other)),
        },
    )?;
    let signer = signature
        .as_deref()
        .and_then(|s| wenshu_packs::sign::signature_key_id(s).ok())
        .unwrap_or_default();
    Ok(LoadedPolicy {
        path: path.to_path_buf(),
        policy,
        signer,
        sha256: crate::models::sha256_hex(text.as_bytes()),
    })
}

/// Refuses `text` from `source` when it carries a state-secret marking (密级): such material may
/// not be stored or processed on this device, so the check comes before the model, the index
/// and the history see it.
pub fn refuse_state_secret(text: &str, source: &str) -> Result<()> {
    match wenshu_core::text::secret_marking_in(text) {
        Some(found) => Err(AppError::of(
            ErrorCode::Policy,
            msg::state_secret(source, found.marking, found.line),
        )),
        None => Ok(()),
    }
}

/// [`refuse_state_secret`] over a document's paragraphs.
pub fn refuse_secret_paragraphs(
    paragraphs: &[wenshu_core::source::Paragraph],
    source: &str,
) -> Result<()> {
    let text: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
    refuse_state_secret(&text.join("\n"), source)
}

/// Refuses a file whose document properties (DOCX core and custom properties, PDF document
/// information) mark it a state secret: a property named for the classification is read as a
/// 密级 line, any other value item by item (keywords are lists).
pub fn refuse_secret_properties(properties: &[(String, String)], source: &str) -> Result<()> {
    let mut lines = Vec::new();
    for (name, value) in properties {
        let lower = name.to_lowercase();
        if name.contains("密级") || lower.contains("classification") || lower.contains("security")
        {
            lines.push(format!("密级：{value}"));
        } else {
            lines.extend(
                value
                    .split(['\n', ',', ';', '，', '；', '、'])
                    .map(|v| v.trim().to_string()),
            );
        }
    }
    refuse_state_secret(&lines.join("\n"), &msg::source_properties(source).text)
}

/// The keys in a `policy.pub`: minisign public key files one after another, or key lines.
fn pinned_keys(text: &str) -> std::result::Result<Vec<TrustedKey>, SignError> {
    let keys: Vec<TrustedKey> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("untrusted comment:") && !l.starts_with('#'))
        .map(TrustedKey::parse)
        .collect::<std::result::Result<_, _>>()?;
    if keys.is_empty() {
        return Err(SignError::BadKey("no key".into()));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_packs::policy::sign_policy;
    use wenshu_packs::sign::keygen;

    const NOW: i64 = 1_796_000_000_000; // 2026-11-29

    fn write_policy(dir: &Path, text: &str, sign: bool) -> PathBuf {
        let pair = keygen().expect("keygen");
        let path = dir.join("policy.toml");
        std::fs::write(&path, text).expect("write");
        std::fs::write(dir.join("policy.pub"), &pair.public).expect("write");
        if sign {
            let sig = sign_policy(&pair.secret, text).expect("sign");
            std::fs::write(dir.join("policy.toml.minisig"), sig).expect("write");
        }
        path
    }

    #[test]
    fn a_signed_policy_takes_effect_and_a_broken_one_names_its_line() {
        let dir = tempfile::tempdir().expect("dir");
        let path = write_policy(dir.path(), "blocked_apps = [\"chat\"]\n", true);
        let loaded = load_file(&path, NOW).expect("loads");
        assert!(loaded.policy.blocked_apps.contains("chat"));
        assert!(!loaded.signer.is_empty());

        let path = write_policy(dir.path(), "blocked_apps = [\"chat\"]\ncolour = 1\n", true);
        let err = load_file(&path, NOW).expect_err("unknown key");
        assert_eq!(err.id, "policy.broken");
        assert!(err.message.contains("第 2 行"), "{}", err.message);
        assert!(err.message.contains("policy.toml"), "{}", err.message);

        let path = write_policy(dir.path(), "max_level = \"内部\"\n", false);
        assert_eq!(
            load_file(&path, NOW).expect_err("unsigned").id,
            "policy.unsigned"
        );

        let path = write_policy(dir.path(), "expires = \"2026-01-31\"\n", true);
        assert_eq!(
            load_file(&path, NOW).expect_err("expired").id,
            "policy.expired"
        );
    }

    #[test]
    fn a_policy_changed_after_signing_fails_closed() {
        let dir = tempfile::tempdir().expect("dir");
        let path = write_policy(dir.path(), "max_level = \"内部\"\n", true);
        std::fs::write(&path, "max_level = \"绝密\"\n").expect("tamper");
        assert_eq!(
            load_file(&path, NOW).expect_err("tampered").id,
            "policy.unsigned"
        );
    }
}
