//! Shared by the test suites that need the real default model.
#![allow(dead_code)]

use std::path::PathBuf;

/// The default model, as `scripts/setup.sh` leaves it. Tests that need it fail (not skip) when
/// it is missing: `make test` installs it first.
pub fn default_model() -> PathBuf {
    let path = std::env::var_os("WENSHU_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("WENSHU_CACHE")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                        .join(".cache/wenshu")
                });
            cache.join("models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        });
    assert!(
        path.is_file(),
        "the default model is missing at {}: run `scripts/setup.sh` (or `make test`) first",
        path.display()
    );
    path
}

pub const DEFAULT_MODEL_SHA256: &str =
    "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32";
