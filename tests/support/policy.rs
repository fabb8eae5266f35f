//! A signed admin policy for the end-to-end suites, made with the `wenshu` binary itself.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn ok(cmd: &mut Command) {
    let out = cmd.output().expect("the wenshu binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes `text` as `dir/policy.toml`, signed with a key made in `dir/keys` and pinned in
/// `dir/policy.pub`; returns the policy's path (for WENSHU_POLICY).
pub fn signed(bin: &str, dir: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("policy dir");
    let keys = dir.join("keys");
    if !keys.join("wenshu-pack.key").exists() {
        ok(Command::new(bin)
            .args(["packs", "keygen", "--dir"])
            .arg(&keys)
            .env_remove("WENSHU_POLICY"));
    }
    std::fs::copy(keys.join("wenshu-pack.pub"), dir.join("policy.pub")).expect("pin");
    let path = dir.join("policy.toml");
    std::fs::write(&path, text).expect("policy");
    ok(Command::new(bin)
        .args(["packs", "sign-file"])
        .arg(&path)
        .arg("--key")
        .arg(keys.join("wenshu-pack.key"))
        .env_remove("WENSHU_POLICY"));
    path
}
