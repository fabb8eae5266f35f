//! The admin policy: one system-wide file (by default `/etc/wenshu/policy.toml`, its signature
//! in `policy.toml.minisig` beside it, checked against the keys pinned in `policy.pub` in the
//! same root-owned folder). It only tightens: whatever a user's own settings say, the rules
//! meet field by field and the tighter one wins:
//! - allowed apps and allowed models (by SHA-256) meet by intersection;
//! - blocked apps by union;
//! - the classification ceiling by minimum;
//! - limits (tokens per call, per day) by minimum;
//! - audit retention by maximum (the policy's is a floor).
//!
//! A policy that is unsigned, cannot be read or has expired fails closed: the caller runs
//! nothing but `wenshu doctor`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::sign::{SignError, TrustedKey, verify_bytes};

/// Data levels (数据分级) from the lowest to the highest, as they are named unless a policy
/// names them otherwise. State secrets (秘密, 机密, 绝密) are no level here: they are refused.
pub const LEVELS: [&str; 3] = ["公开", "内部", "敏感"];

/// A level's rank (公开 0, 内部 1, 敏感 2), `None` for a word that is not a level.
pub fn level_rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level.trim())
}

/// What a policy or a user's own settings restrict. `None` places no restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// App ids that may run; `None`: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_apps: Option<BTreeSet<String>>,
    /// App ids that may not run.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub blocked_apps: BTreeSet<String>,
    /// SHA-256 of the models that may be used; `None`: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_models: Option<BTreeSet<String>>,
    /// The highest classification of material that may be handled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens_per_call: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens_per_day: Option<u64>,
    /// Days the audit log is kept at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_retention_days: Option<u64>,
}

fn meet_sets(
    a: &Option<BTreeSet<String>>,
    b: &Option<BTreeSet<String>>,
) -> Option<BTreeSet<String>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.intersection(b).cloned().collect()),
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (None, None) => None,
    }
}

fn meet_min(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (x, None) | (None, x) => x,
    }
}

impl Limits {
    /// The tighter of the two, field by field.
    #[must_use]
    pub fn meet(&self, other: &Limits) -> Limits {
        let max_level = match (&self.max_level, &other.max_level) {
            (Some(a), Some(b)) => {
                // A word that is not a level counts as the lowest.
                let rank = |l: &String| level_rank(l).unwrap_or(0);
                Some(if rank(a) <= rank(b) {
                    a.clone()
                } else {
                    b.clone()
                })
            }
            (x, None) | (None, x) => x.clone(),
        };
        Limits {
            allowed_apps: meet_sets(&self.allowed_apps, &other.allowed_apps),
            blocked_apps: self
                .blocked_apps
                .union(&other.blocked_apps)
                .cloned()
                .collect(),
            allowed_models: meet_sets(&self.allowed_models, &other.allowed_models),
            max_level,
            max_tokens_per_call: meet_min(self.max_tokens_per_call, other.max_tokens_per_call),
            max_tokens_per_day: meet_min(self.max_tokens_per_day, other.max_tokens_per_day),
            audit_retention_days: match (self.audit_retention_days, other.audit_retention_days) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (x, None) | (None, x) => x,
            },
        }
    }

    /// The fields where `self` (a user's settings) asks for more than `policy` allows: what
    /// the meet ignores, to be shown as a warning.
    pub fn loosens(&self, policy: &Limits) -> Vec<&'static str> {
        let mut out = Vec::new();
        let wider = |mine: &Option<BTreeSet<String>>, theirs: &Option<BTreeSet<String>>| match (
            mine, theirs,
        ) {
            (Some(m), Some(t)) => !m.is_subset(t),
            (None, Some(_)) => false,
            _ => false,
        };
        if wider(&self.allowed_apps, &policy.allowed_apps) {
            out.push("allowed_apps");
        }
        if wider(&self.allowed_models, &policy.allowed_models) {
            out.push("allowed_models");
        }
        let above = |mine: Option<u64>, theirs: Option<u64>| matches!((mine, theirs), (Some(m), Some(t)) if m > t);
        if above(self.max_tokens_per_call, policy.max_tokens_per_call) {
            out.push("max_tokens_per_call");
        }
        if above(self.max_tokens_per_day, policy.max_tokens_per_day) {
            out.push("max_tokens_per_day");
        }
        if let (Some(m), Some(t)) = (&self.max_level, &policy.max_level)
            && level_rank(m).unwrap_or(0) > level_rank(t).unwrap_or(0)
        {
            out.push("max_level");
        }
        if matches!(
            (self.audit_retention_days, policy.audit_retention_days),
            (Some(m), Some(t)) if m < t
        ) {
            out.push("audit_retention_days");
        }
        out
    }

    /// Whether app `id` may run, and if not, which rule stops it.
    pub fn app_allowed(&self, id: &str) -> Result<(), &'static str> {
        if self.blocked_apps.contains(id) {
            return Err("blocked_apps");
        }
        match &self.allowed_apps {
            Some(allowed) if !allowed.contains(id) => Err("allowed_apps"),
            _ => Ok(()),
        }
    }

    /// Whether a model with `sha256` may be used.
    pub fn model_allowed(&self, sha256: &str) -> bool {
        self.allowed_models
            .as_ref()
            .is_none_or(|allowed| allowed.iter().any(|a| a.eq_ignore_ascii_case(sha256)))
    }
}

/// The admin policy as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The last day it holds, `YYYY-MM-DD`; after it, nothing runs.
    #[serde(default)]
    pub expires: Option<String>,
    /// Keys packs may be signed with (key lines, `RW…`).
    #[serde(default)]
    pub trusted_keys: Vec<String>,
    /// Whether packs without a signature may be installed (default: no).
    #[serde(default)]
    pub allow_unsigned: bool,
    /// The model every desktop uses unless a user picks another the policy allows.
    #[serde(default)]
    pub default_model: Option<String>,
    /// The folders IT pushes packs and knowledge into, read-only to users.
    #[serde(default)]
    pub managed_packs: Option<String>,
    #[serde(default)]
    pub managed_knowledge: Option<String>,
    #[serde(default)]
    pub allowed_apps: Option<BTreeSet<String>>,
    #[serde(default)]
    pub blocked_apps: BTreeSet<String>,
    #[serde(default)]
    pub allowed_models: Option<BTreeSet<String>>,
    #[serde(default)]
    pub max_level: Option<String>,
    #[serde(default)]
    pub max_tokens_per_call: Option<u64>,
    #[serde(default)]
    pub max_tokens_per_day: Option<u64>,
    #[serde(default)]
    pub audit_retention_days: Option<u64>,
    /// Daily token quotas of single apps, by app id (`draft.notice = 20000`), on top of the
    /// per-user `max_tokens_per_day`.
    #[serde(default)]
    pub app_tokens_per_day: std::collections::BTreeMap<String, u64>,
    /// Whether the audit log keeps the full text of prompts and answers (default: only their
    /// SHA-256).
    #[serde(default)]
    pub audit_full_text: bool,
    /// Whether exported documents carry the visible label of AI-generated content (default:
    /// yes). Turning it off is recorded with every export.
    #[serde(default)]
    pub ai_label_explicit: Option<bool>,
    /// Other names for the three data levels, lowest first (default 公开, 内部, 敏感); either
    /// name is accepted wherever a level is given.
    #[serde(default)]
    pub level_names: Option<[String; 3]>,
    /// The highest data level each app may receive, by app id (`chat = "公开"`).
    #[serde(default)]
    pub app_ceilings: std::collections::BTreeMap<String, String>,
    /// The highest data level each model may receive, by model name.
    #[serde(default)]
    pub model_ceilings: std::collections::BTreeMap<String, String>,
    /// The data level of knowledge files under a folder, by folder path: a floor on what
    /// `kb add --level` and the markings give.
    #[serde(default)]
    pub folder_levels: std::collections::BTreeMap<String, String>,
    /// The inference servers desktops may send model calls to; no other server is reached
    /// (servers on the desktop itself, 127.0.0.1 and ::1, need no entry).
    #[serde(default)]
    pub servers: Vec<ServerRule>,
    /// The CA every server named here must present a certificate from (PEM file), unless the
    /// server's own entry names another: users cannot trust another CA for them.
    #[serde(default)]
    pub server_ca: Option<String>,
    /// Settings fixed by the policy, as in the settings file (`[locked.model] threads = 2`).
    #[serde(default)]
    pub locked: toml::Table,
}

/// One inference server the policy allows (`[[servers]]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerRule {
    /// `scheme://host:port` (a path is ignored; the port defaults to the scheme's).
    pub url: String,
    /// The highest data level the server may receive (default: the desktop's ceiling).
    #[serde(default)]
    pub max_level: Option<String>,
    /// The CA file its certificate must come from (default: `server_ca`).
    #[serde(default)]
    pub ca: Option<String>,
}

/// Why a policy fails closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("the signature does not hold: {0}")]
    Signature(SignError),
    #[error("it expired on {0}")]
    Expired(String),
    #[error("“{0}” is not a date (YYYY-MM-DD)")]
    BadDate(String),
    #[error("“{0}” is not a data level (公开, 内部, 敏感)")]
    BadLevel(String),
    #[error("a trusted key cannot be read: {0}")]
    BadKey(String),
}

/// A date as `YYYY-MM-DD` into (year, month, day).
fn read_date(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    (parts.next().is_none() && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

impl Policy {
    /// Reads a policy, with the line of what is wrong, and checks its signature against the
    /// pinned `keys` and its expiry against `today` (year, month, day).
    pub fn verified(
        text: &str,
        signature: Option<&str>,
        keys: &[TrustedKey],
        today: (u32, u32, u32),
    ) -> Result<Policy, PolicyError> {
        let policy: Policy = toml::from_str(text).map_err(|err| PolicyError::Syntax {
            line: crate::manifest::toml_error_line(text, &err),
            message: err.message().to_string(),
        })?;
        let signature = signature.ok_or(PolicyError::Signature(SignError::Unsigned))?;
        verify_bytes(keys, signature, text.as_bytes(), "wenshu-policy")
            .map_err(PolicyError::Signature)?;
        if let Some(expires) = &policy.expires {
            let date = read_date(expires).ok_or_else(|| PolicyError::BadDate(expires.clone()))?;
            if date < today {
                return Err(PolicyError::Expired(expires.clone()));
            }
        }
        let named = |level: &str| {
            level_rank(level).is_some()
                || policy
                    .level_names
                    .as_ref()
                    .is_some_and(|names| names.iter().any(|n| n == level.trim()))
        };
        for level in policy
            .max_level
            .iter()
            .chain(policy.app_ceilings.values())
            .chain(policy.model_ceilings.values())
            .chain(policy.folder_levels.values())
            .chain(policy.servers.iter().filter_map(|s| s.max_level.as_ref()))
        {
            if !named(level) {
                return Err(PolicyError::BadLevel(level.clone()));
            }
        }
        for key in &policy.trusted_keys {
            TrustedKey::parse(key).map_err(|e| PolicyError::BadKey(e.to_string()))?;
        }
        Ok(policy)
    }

    /// What the policy restricts.
    pub fn limits(&self) -> Limits {
        Limits {
            allowed_apps: self.allowed_apps.clone(),
            blocked_apps: self.blocked_apps.clone(),
            allowed_models: self.allowed_models.clone(),
            max_level: self.max_level.clone(),
            max_tokens_per_call: self.max_tokens_per_call,
            max_tokens_per_day: self.max_tokens_per_day,
            audit_retention_days: self.audit_retention_days,
        }
    }

    /// The keys packs may be signed with.
    pub fn keys(&self) -> Vec<TrustedKey> {
        self.trusted_keys
            .iter()
            .filter_map(|k| TrustedKey::parse(k).ok())
            .collect()
    }
}

/// Signs a policy's text with the secret key in `secret`.
pub fn sign_policy(secret: &str, text: &str) -> Result<String, SignError> {
    crate::sign::sign_bytes(secret, text.as_bytes(), "wenshu-policy")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::keygen;

    fn set(items: &[&str]) -> Option<BTreeSet<String>> {
        Some(items.iter().map(|s| (*s).to_string()).collect())
    }

    #[test]
    fn limits_meet_by_the_rule_of_each_field() {
        let policy = Limits {
            allowed_apps: set(&["draft.notice", "chat", "kb"]),
            blocked_apps: set(&["chat"]).unwrap_or_default(),
            allowed_models: set(&["aa"]),
            max_level: Some("内部".into()),
            max_tokens_per_call: Some(2048),
            max_tokens_per_day: None,
            audit_retention_days: Some(180),
        };
        let user = Limits {
            allowed_apps: set(&["draft.notice", "draft.request"]),
            blocked_apps: set(&["kb"]).unwrap_or_default(),
            allowed_models: None,
            max_level: Some("敏感".into()),
            max_tokens_per_call: Some(100_000),
            max_tokens_per_day: Some(50_000),
            audit_retention_days: Some(30),
        };
        let m = user.meet(&policy);
        assert_eq!(m.allowed_apps, set(&["draft.notice"]));
        assert_eq!(m.blocked_apps, set(&["chat", "kb"]).unwrap_or_default());
        assert_eq!(m.allowed_models, set(&["aa"]));
        assert_eq!(m.max_level.as_deref(), Some("内部"));
        assert_eq!(m.max_tokens_per_call, Some(2048));
        assert_eq!(m.max_tokens_per_day, Some(50_000), "the user may tighten");
        assert_eq!(m.audit_retention_days, Some(180), "retention has a floor");
        assert_eq!(
            m,
            policy.meet(&user),
            "the meet does not depend on the order"
        );
        assert_eq!(
            user.loosens(&policy),
            [
                "allowed_apps",
                "max_tokens_per_call",
                "max_level",
                "audit_retention_days"
            ]
        );
        assert_eq!(m.app_allowed("chat"), Err("blocked_apps"));
        assert_eq!(m.app_allowed("draft.request"), Err("allowed_apps"));
        assert_eq!(m.app_allowed("draft.notice"), Ok(()));
        assert!(m.model_allowed("AA") && !m.model_allowed("bb"));
    }

    #[test]
    fn a_policy_holds_only_signed_readable_and_in_date() {
        let pair = keygen().expect("keygen");
        let keys = vec![TrustedKey::parse(&pair.public).expect("key")];
        let text = format!(
            "expires = \"2027-06-30\"\ntrusted_keys = [\"{}\"]\nblocked_apps = [\"chat\"]\nmax_level = \"内部\"\n\n[locked.model]\nthreads = 2\n",
            pair.public.lines().nth(1).expect("line")
        );
        let signature = sign_policy(&pair.secret, &text).expect("sign");
        let today = (2026, 12, 2);
        let policy = Policy::verified(&text, Some(&signature), &keys, today).expect("holds");
        assert_eq!(policy.keys().len(), 1);
        assert!(policy.limits().blocked_apps.contains("chat"));
        assert_eq!(policy.locked["model"]["threads"].as_integer(), Some(2));

        assert_eq!(
            Policy::verified(&text, None, &keys, today),
            Err(PolicyError::Signature(SignError::Unsigned))
        );
        let edited = text.replace("内部", "绝密");
        assert!(matches!(
            Policy::verified(&edited, Some(&signature), &keys, today),
            Err(PolicyError::Signature(SignError::Mismatch(_)))
        ));
        assert_eq!(
            Policy::verified(&text, Some(&signature), &keys, (2027, 7, 1)),
            Err(PolicyError::Expired("2027-06-30".into()))
        );
        let broken = "blocked_apps = [\"chat\"\nmax_level = 3\n";
        match Policy::verified(broken, Some(&signature), &keys, today) {
            Err(PolicyError::Syntax { line, .. }) => assert!(line >= 1),
            other => panic!("{other:?}"),
        }
        let unknown = "colour = \"red\"\n";
        assert!(matches!(
            Policy::verified(unknown, Some(&signature), &keys, today),
            Err(PolicyError::Syntax { line: 1, .. })
        ));
    }
}
