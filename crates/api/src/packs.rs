//! Packs (应用包) as front ends see them: a signing key made, a pack signed or checked.

use serde::{Deserialize, Serialize};

/// A signing key pair written by `wenshu packs keygen`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeygenReport {
    /// The public key file, to hand to desktops (the policy's `trusted_keys`).
    pub public_key: String,
    /// The secret key file, to keep offline.
    pub secret_key: String,
    /// The key's id, as signatures name it.
    pub key_id: String,
    /// The public key's line (`RW…`), as a policy lists it.
    pub public_line: String,
}

/// A pack as its signature sees it: what it is, its digest and who signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackSignature {
    /// The pack's folder or archive.
    pub path: String,
    pub id: String,
    pub name: String,
    pub version: String,
    /// SHA-256 over the pack's files (the signature aside), as a signed index lists it.
    pub sha256: String,
    /// Bytes of the pack's files, expanded.
    pub size: u64,
    pub files: usize,
    /// The key that signed it, when a signature holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// A pack on this desktop, as `wenshu packs list` and the 应用超市 show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub category: String,
    pub description: String,
    pub author: String,
    /// The classification of a knowledge pack's documents; the highest an app may handle.
    pub level: String,
    /// `app` or `knowledge`.
    pub kind: String,
    /// What runs an app (`draft`, `minutes`, …); none for knowledge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner: Option<String>,
    /// `builtin`, `managed` (pushed by IT) or `user` (installed here).
    pub source: String,
    /// The source in words.
    pub source_label: String,
    /// The key whose signature holds, when the pack is signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The pack's folder; none for a built-in pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Why the pack may not be used here (no valid signature, rolled back, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Every pack on this desktop, and what the policy overrode in the user's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackList {
    pub packs: Vec<PackInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A pack installed, updated or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackChange {
    pub pack: PackInfo,
    /// The version it replaced, for an update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
}
