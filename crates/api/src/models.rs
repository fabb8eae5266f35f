//! Models in the registry, their checks, `wenshu doctor` and `wenshu bench`.

use serde::{Deserialize, Serialize};

/// A model in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub name: String,
    pub display_name: String,
    pub path: String,
    pub sha256: String,
    pub architecture: String,
    pub quantization: String,
    pub context_length: u32,
    pub parameters: u64,
    pub file_size: u64,
    pub has_chat_template: bool,
    pub imported_at_ms: i64,
    pub active: bool,
    /// `local` (a GGUF file at `path`) or `openai` (an inference server).
    #[serde(default = "local")]
    pub backend: String,
    /// For a model on a server: its URLs (tried in order) and the server's model id.
    #[serde(default)]
    pub urls: Vec<String>,
    #[serde(default)]
    pub model_id: Option<String>,
}

fn local() -> String {
    "local".to_string()
}

/// The result of re-hashing one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelCheck {
    pub name: String,
    pub path: String,
    /// `ok`, `modified`, `missing`, or `server` for a model on an inference server (no file).
    pub status: String,
    pub expected_sha256: String,
    pub actual_sha256: Option<String>,
}

impl ModelCheck {
    pub fn is_ok(&self) -> bool {
        self.status == "ok" || self.status == "server"
    }
}

/// One line of `wenshu doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorCheck {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

/// What `wenshu doctor` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorReport {
    pub ok: bool,
    pub checks: Vec<DoctorCheck>,
    pub cpu_features: Vec<String>,
    pub build_features: Vec<String>,
    pub data_dir: String,
    pub config_file: String,
}

/// The result of `wenshu bench`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub model: String,
    pub model_sha256: String,
    pub model_file_bytes: u64,
    pub threads: usize,
    pub context_tokens: u32,
    pub prompt_tokens: u32,
    pub generated_tokens: u32,
    pub repetitions: u32,
    /// Medians over the repetitions.
    pub pp_tokens_per_s: f64,
    pub tg_tokens_per_s: f64,
    /// Of each generated token's time, how much choosing it took (the rest is the model).
    pub sampling_ms_per_token: f64,
    pub pp_runs: Vec<f64>,
    pub tg_runs: Vec<f64>,
    /// Peak resident memory of this process (VmHWM), when the system reports it.
    pub peak_rss_bytes: Option<u64>,
}
