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
