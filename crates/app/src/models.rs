//! The model registry (import, list, use, verify), `doctor` and `bench`.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wenshu_api::messages::common::{self, os_error};
use wenshu_api::messages::{models as msg, settings};
use wenshu_core::{CallOutcome, EntryKind, LanguageModel};
use wenshu_llm::{LocalModel, RuntimeOptions};

use crate::Wenshu;
use crate::error::{AppError, ErrorCode, Message, Result};
use crate::generate::ACTIVE_MODEL_KEY;
use crate::report::{BenchReport, DoctorCheck, DoctorReport, ModelCheck, ModelInfo};

/// How an imported file gets into the data directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// Copy the file (hashing it on the way).
    #[default]
    Copy,
    /// Link to the file where it is, for large models kept on a shared disk.
    Symlink,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, in hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 of everything `reader` yields, also writing it to `sink` when given.
fn hash_stream(reader: &mut dyn Read, mut sink: Option<&mut dyn Write>) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if let Some(sink) = sink.as_mut() {
            sink.write_all(&buf[..n])?;
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// SHA-256 of the file at `path`.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    hash_stream(&mut File::open(path)?, None)
}

pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Removes a half-written file when an import stops early.
struct PartialFile(Option<PathBuf>);

impl Drop for PartialFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Wenshu {
    /// Imports the GGUF file at `source` under `name` (default: the file name without `.gguf`).
    /// Nothing is registered unless the file is a complete model that llama.cpp accepts.
    pub fn import_model(
        &self,
        source: &Path,
        name: Option<&str>,
        mode: ImportMode,
    ) -> Result<ModelInfo> {
        let metadata = wenshu_llm::check_loadable(source)?;
        let source = source
            .canonicalize()
            .map_err(|err| AppError::io_of(common::cannot_read(source.display()), &err))?;
        let name = match name {
            Some(n) => n.to_string(),
            None => source
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        if !valid_name(&name) {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::invalid_name(&name),
            ));
        }
        if self.store().model_by_name(&name)?.is_some() {
            return Err(AppError::of(
                ErrorCode::AlreadyExists,
                msg::name_taken(&name),
            ));
        }

        let models_dir = self.home().models_dir();
        let target = models_dir.join(format!("{name}.gguf"));
        let mut partial = PartialFile(None);
        let sha256 = match mode {
            ImportMode::Copy => {
                let temp = models_dir.join(format!(".{name}.gguf.partial"));
                let mut out = File::create(&temp)
                    .map_err(|err| AppError::io_of(common::cannot_write(temp.display()), &err))?;
                partial.0 = Some(temp.clone());
                let mut input = File::open(&source)
                    .map_err(|err| AppError::io_of(common::cannot_read(source.display()), &err))?;
                hash_stream(&mut input, Some(&mut out))
                    .and_then(|sha| out.sync_all().map(|()| sha))
                    .map_err(|err| {
                        AppError::io_of(
                            msg::cannot_copy(source.display(), models_dir.display()),
                            &err,
                        )
                    })?
            }
            ImportMode::Symlink => sha256_file(&source)
                .map_err(|err| AppError::io_of(common::cannot_read(source.display()), &err))?,
        };
        if let Some(existing) = self.store().model_by_sha256(&sha256)? {
            return Err(AppError::of(
                ErrorCode::AlreadyExists,
                msg::already_imported(&existing.name),
            ));
        }
        match mode {
            ImportMode::Copy => {
                let temp = partial.0.clone().unwrap_or_default();
                std::fs::rename(&temp, &target)
                    .map_err(|err| AppError::io_of(common::cannot_write(target.display()), &err))?;
                partial.0 = Some(target.clone());
            }
            ImportMode::Symlink => {
                symlink(&source, &target)
                    .map_err(|err| AppError::io_of(common::cannot_write(target.display()), &err))?;
                partial.0 = Some(target.clone());
            }
        }
        let record = self.store().insert_model(
            &name,
            &target.display().to_string(),
            &sha256,
            &metadata,
            self.now(),
        )?;
        // Registered: the file now belongs to the registry.
        partial.0 = None;
        if self.store().setting(ACTIVE_MODEL_KEY)?.is_none() {
            self.store().set_setting(ACTIVE_MODEL_KEY, &record.sha256)?;
        }
        let active = self
            .active_model()
            .map(|a| a.sha256 == record.sha256)
            .unwrap_or(false);
        Ok(crate::report::model_info(record, active))
    }

    /// Every imported model, the active one marked.
    pub fn models(&self) -> Result<Vec<ModelInfo>> {
        let active = self.active_model().ok().map(|m| m.sha256);
        Ok(self
            .store()
            .models()?
            .into_iter()
            .map(|r| {
                let is_active = active.as_deref() == Some(r.sha256.as_str());
                crate::report::model_info(r, is_active)
            })
            .collect())
    }

    pub(crate) fn find_model(&self, name: &str) -> Result<wenshu_store::ModelRecord> {
        if let Some(record) = self.store().model_by_name(name)? {
            return Ok(record);
        }
        let all = self.store().models()?;
        // A unique SHA-256 prefix of at least 8 characters also names a model.
        if name.len() >= 8 {
            let matches: Vec<_> = all.iter().filter(|m| m.sha256.starts_with(name)).collect();
            if let [one] = matches.as_slice() {
                return Ok((*one).clone());
            }
        }
        let known: Vec<&str> = all.iter().map(|m| m.name.as_str()).collect();
        Err(AppError::of(
            ErrorCode::NotFound,
            if known.is_empty() {
                msg::not_found_none_imported(name)
            } else {
                msg::not_found(name, known.join(", "))
            },
        ))
    }

    /// Makes `name` the model that answers.
    pub fn use_model(&self, name: &str) -> Result<ModelInfo> {
        let record = self.find_model(name)?;
        self.store().set_setting(ACTIVE_MODEL_KEY, &record.sha256)?;
        // A choice of the user's own, which the policy's default model does not override.
        self.store()
            .set_setting(crate::generate::CHOSEN_MODEL_KEY, &record.sha256)?;
        Ok(crate::report::model_info(record, true))
    }

    /// Re-hashes `name` (or every model) and compares with the hash recorded at import.
    pub fn verify_models(&self, name: Option<&str>) -> Result<Vec<ModelCheck>> {
        let records = match name {
            Some(name) => vec![self.find_model(name)?],
            None => self.store().models()?,
        };
        Ok(records
            .into_iter()
            .map(|r| {
                let (status, actual) = match sha256_file(Path::new(&r.path)) {
                    // A model on a server has no file here to hash.
                    _ if r.is_remote() => ("server", None),
                    Ok(sha) if sha == r.sha256 => ("ok", Some(sha)),
                    Ok(sha) => ("modified", Some(sha)),
                    Err(_) => ("missing", None),
                };
                ModelCheck {
                    name: r.name,
                    path: r.path,
                    status: status.to_string(),
                    expected_sha256: r.sha256,
                    actual_sha256: actual,
                }
            })
            .collect())
    }

    /// Checks that Wenshu can work here: data directory, database, model, CPU and build.
    pub fn doctor(&self) -> DoctorReport {
        let mut checks = Vec::new();
        let mut check = |name: Message, result: std::result::Result<String, String>| {
            let (ok, detail) = match result {
                Ok(d) => (true, d),
                Err(d) => (false, d),
            };
            checks.push(DoctorCheck {
                name: name.text,
                ok,
                detail,
            });
        };

        let data_dir = self.home().data_dir.clone();
        check(msg::doctor_data_dir(), {
            let probe = data_dir.join(".doctor-probe");
            std::fs::write(&probe, b"ok")
                .and_then(|()| std::fs::remove_file(&probe))
                .map(|()| data_dir.display().to_string())
                .map_err(|err| {
                    common::cannot_write(data_dir.display())
                        .with_detail(os_error(&err))
                        .text
                })
        });
        check(
            msg::doctor_database(),
            self.store()
                .schema_version()
                .map(|v| msg::doctor_database_ok(self.home().database().display(), v).text)
                .map_err(|err| AppError::from(err).message),
        );
        check(
            msg::doctor_policy(),
            match (&self.policy_error, self.policy()) {
                (Some(err), _) => Err(err.message.clone()),
                (None, Some(p)) => {
                    let mut detail = msg::doctor_policy_ok(p.label(), &p.signer).text;
                    for warning in self.policy_warnings() {
                        detail.push('；');
                        detail.push_str(&warning.text);
                    }
                    Ok(detail)
                }
                (None, None) => Ok(msg::doctor_policy_none(crate::policy::SYSTEM_POLICY).text),
            },
        );
        let loaded = self.loaded_settings();
        check(
            msg::doctor_settings(),
            Ok(match &loaded.user_file {
                Some(file) => settings::sources_with_file(file.display()).text,
                None => settings::sources_without_file(self.home().config_file.display()).text,
            } + &if loaded.env_overrides.is_empty() {
                String::new()
            } else {
                format!(" + {}", loaded.env_overrides.join(", "))
            }),
        );
        check(
            msg::doctor_model(),
            self.active_model()
                .map_err(|e| e.message)
                .and_then(|record| {
                    if record.is_remote() {
                        return self.check_servers(&record);
                    }
                    let path = Path::new(&record.path);
                    let size = std::fs::metadata(path)
                        .map_err(|err| {
                            msg::doctor_model_unreadable(&record.name, &record.path, os_error(&err))
                                .text
                        })?
                        .len();
                    if size != record.metadata.file_size {
                        return Err(msg::doctor_model_resized(
                            &record.name,
                            &record.path,
                            size,
                            record.metadata.file_size,
                        )
                        .text);
                    }
                    wenshu_llm::check_loadable(path).map_err(|err| AppError::from(err).message)?;
                    Ok(msg::doctor_model_ok(
                        &record.name,
                        &record.metadata.architecture,
                        &record.metadata.quantization,
                        size / 1_000_000,
                        &record.path,
                    )
                    .text)
                }),
        );
        let threads = self.settings().model.effective_threads();
        check(
            msg::doctor_threads(),
            Ok(msg::doctor_threads_detail(threads, num_cpus::get_physical()).text),
        );

        let build = wenshu_llm::build_info();
        let mut build_features = vec![format!("runtime: {}", build.llama_cpp_crate)];
        if build.cuda {
            build_features.push("cuda".into());
        }
        if build.metal {
            build_features.push("metal".into());
        }
        if build.gpu_offload {
            build_features.push("gpu offload".into());
        }
        if build.mmap {
            build_features.push("mmap".into());
        }
        if !build.cuda && !build.metal {
            build_features.push("cpu only".into());
        }
        let ok = checks.iter().all(|c| c.ok);
        DoctorReport {
            ok,
            checks,
            cpu_features: cpu_features(),
            build_features,
            data_dir: data_dir.display().to_string(),
            config_file: self.home().config_file.display().to_string(),
        }
    }

    /// Measures prompt processing and generation speed of the active model, `repetitions`
    /// times after a warm-up, and reports medians.
    pub fn bench(
        &self,
        threads: usize,
        prompt_tokens: u32,
        generated_tokens: u32,
        repetitions: u32,
    ) -> Result<BenchReport> {
        let record = self.active_model()?;
        if record.is_remote() {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                wenshu_api::messages::server::not_a_file(&record.name),
            ));
        }
        // A dedicated instance: the thread count is the benchmark's, not the settings'. The
        // shared one is unloaded, and no generation runs beside the benchmark.
        let mut slot = self.model_slot();
        *slot = None;
        let options = RuntimeOptions {
            threads,
            threads_batch: threads,
            context_tokens: self.settings().model.context_tokens,
            batch_tokens: prompt_tokens.max(self.settings().model.batch_tokens),
            gpu_layers: self.settings().model.gpu_layers,
            reuse_prompt: true,
        };
        let started_at = self.now();
        let timer = std::time::Instant::now();
        let mut model = LocalModel::open(Path::new(&record.path), options)?;
        model.bench(16, 1)?; // warm-up: page in the weights, size the buffers
        let mut pp_runs = Vec::new();
        let mut tg_runs = Vec::new();
        let mut sampling_ms = Vec::new();
        for _ in 0..repetitions.max(1) {
            let r = model.bench(prompt_tokens, 0)?;
            pp_runs.push(f64::from(r.prompt_tokens) / r.prompt_time.as_secs_f64());
            let r = model.bench(1, generated_tokens)?;
            tg_runs.push(f64::from(r.generated_tokens) / r.generation_time.as_secs_f64());
            sampling_ms
                .push(r.sampling_time.as_secs_f64() * 1000.0 / f64::from(r.generated_tokens));
        }
        let n = u64::from(repetitions.max(1));
        let mut entry = self.entry(EntryKind::Finished, "cli.bench");
        entry.at_ms = started_at;
        entry.model_sha256.clone_from(&record.sha256);
        entry.prompt_tokens = u64::from(prompt_tokens) * n;
        entry.completion_tokens = u64::from(generated_tokens) * n;
        entry.duration_ms = u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX);
        entry.outcome = Some(CallOutcome::Completed);
        self.record(&entry)?;
        Ok(BenchReport {
            model: record.name.clone(),
            model_sha256: record.sha256.clone(),
            model_file_bytes: record.metadata.file_size,
            threads,
            context_tokens: u32::try_from(model.context_window()).unwrap_or(u32::MAX),
            prompt_tokens,
            generated_tokens,
            repetitions: repetitions.max(1),
            pp_tokens_per_s: median(&pp_runs),
            tg_tokens_per_s: median(&tg_runs),
            sampling_ms_per_token: median(&sampling_ms),
            pp_runs,
            tg_runs,
            peak_rss_bytes: peak_rss_bytes(),
        })
    }
}

#[cfg(unix)]
fn symlink(source: &Path, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(source, target)
}

#[cfg(not(unix))]
fn symlink(_source: &Path, _target: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "linking models is supported on Unix only",
    ))
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Peak resident set size of this process, from /proc on Linux.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The SIMD features llama.cpp's CPU kernels care about.
fn cpu_features() -> Vec<String> {
    #[allow(unused_mut)]
    let mut found: Vec<String> = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! probe {
            ($($f:tt),*) => {$(
                if std::arch::is_x86_feature_detected!($f) { found.push($f.to_string()); }
            )*};
        }
        probe!(
            "sse4.2",
            "avx",
            "avx2",
            "fma",
            "f16c",
            "avx512f",
            "avx512bw",
            "avx512vnni",
            "avxvnni"
        );
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") {
            found.push("neon".into());
        }
        if std::arch::is_aarch64_feature_detected!("dotprod") {
            found.push("dotprod".into());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        let sha = hash_stream(&mut &b"abc"[..], None).expect("hash");
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn model_names_are_file_safe() {
        assert!(valid_name("qwen2.5-coder-0.5b-instruct-q4_k_m"));
        assert!(!valid_name("../evil"));
        assert!(!valid_name(".hidden"));
        assert!(!valid_name(""));
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
