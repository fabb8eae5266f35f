//! The local model runtime: GGUF files run by llama.cpp on the CPU (CUDA or Metal when built with
//! the `cuda` or `metal` feature), behind Wenshu's `LanguageModel` port.

pub mod gguf;
mod runtime;

pub use gguf::{GgufError, GgufHeader, inspect};
pub use runtime::{
    BenchResult, BuildInfo, LocalModel, RuntimeOptions, build_info, check_loadable, schema_grammar,
};
