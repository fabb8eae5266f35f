//! Typed settings in layers: the defaults built into the binary, then the user's file, then
//! `WENSHU_<SECTION>__<KEY>` environment variables, then the admin policy's `[locked]` table
//! above them all. Unknown keys are errors that name the key and where it came from. A setting
//! the policy fixes shows as locked with the policy file named; what the user's file or the
//! environment says about it is ignored with a warning.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
pub use wenshu_api::SettingInfo;
use wenshu_api::messages::common;
use wenshu_api::messages::{
    Lang, Message, files, policy as policy_msg, set_language, settings as msg,
};
use wenshu_core::Sampling;
use wenshu_core::time::Zone;
use wenshu_packs::Limits;

use crate::error::{AppError, ErrorCode, Result};

const DEFAULTS: &str = include_str!("defaults.toml");
const ENV_PREFIX: &str = "WENSHU_";

/// All of Wenshu's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub model: ModelSettings,
    /// Sampling for every generation; drafting and single calls override a few fields.
    #[serde(with = "SamplingDef")]
    pub generation: Sampling,
    pub chat: ChatSettings,
    pub draft: DraftSettings,
    pub long: LongSettings,
    pub kb: KbSettings,
    #[serde(default)]
    pub server: ServerSettings,
    pub packs: PacksSettings,
    pub check: CheckSettings,
    pub ui: UiSettings,
    /// What the user restricts for themselves; the admin policy's limits meet these, and the
    /// tighter rule wins field by field.
    #[serde(default)]
    pub limits: Limits,
}

/// How strictly the checker reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// Rule ids, separated by commas or spaces, whose warnings count as errors.
    pub errors: String,
}

impl CheckSettings {
    /// The rule ids `errors` names.
    pub fn error_rules(&self) -> Vec<String> {
        self.errors
            .split([',', '，', ' ', '、'])
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(String::from)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSettings {
    pub threads: usize,
    pub threads_batch: usize,
    pub context_tokens: u32,
    pub batch_tokens: u32,
    pub gpu_layers: u32,
    /// Whether a call reuses the cached start of the one before it (off only to measure).
    pub reuse_prompt: bool,
}

/// Work on inputs longer than the context (minutes, summaries): pieces and merges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongSettings {
    /// The most tokens of input in one piece; the context window may allow fewer.
    pub piece_tokens: u32,
    /// The most tokens a piece's or a merge's answer may have.
    pub answer_tokens: u32,
    /// The most results one merge takes.
    pub fan_in: u32,
}

/// How the `[generation]` section reads and writes core's [`Sampling`], which stays free of
/// serde: a remote definition, whose fields the compiler matches against the type's.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Sampling", deny_unknown_fields)]
struct SamplingDef {
    temperature: f32,
    top_p: f32,
    top_k: u32,
    repeat_penalty: f32,
    repeat_last_n: u32,
    seed: u32,
    max_tokens: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatSettings {
    pub system_prompt: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbSettings {
    /// The folder IT pushes knowledge packs into; empty means `packs/` in the data directory.
    pub managed_packs: String,
}

/// Deadlines and limits for models on an inference server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Seconds to make the connection.
    pub connect_timeout_s: f32,
    /// Seconds from the request to the first piece of the answer (the server reads the prompt
    /// first).
    pub first_token_timeout_s: f32,
    /// Seconds the answer may pause once it has begun.
    pub idle_timeout_s: f32,
    /// The most megabytes one answer may take.
    pub max_response_mb: u32,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            connect_timeout_s: 5.0,
            first_token_timeout_s: 120.0,
            idle_timeout_s: 30.0,
            max_response_mb: 16,
        }
    }
}

/// Which packs this desktop trusts when no admin policy says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PacksSettings {
    /// Public key lines (`RW…`), separated by commas or spaces.
    pub trusted_keys: String,
    pub allow_unsigned: bool,
}

impl PacksSettings {
    /// The key lines `trusted_keys` holds.
    pub fn key_lines(&self) -> Vec<String> {
        self.trusted_keys
            .split([',', '，', ' ', '\n'])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(String::from)
            .collect()
    }
}

/// How the front ends show things.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSettings {
    /// The language of every message: `zh` (Simplified Chinese) or `en` (for IT staff).
    pub language: String,
    /// The zone times are shown, days counted and dates given in, as `±HH:MM` east of UTC.
    pub timezone: String,
}

impl UiSettings {
    /// The language of `language`; Chinese if it does not read (settings are validated on load).
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.language).unwrap_or_default()
    }

    /// The zone of `timezone`; China time if it does not read (settings are validated on load).
    pub fn zone(&self) -> Zone {
        Zone::parse(&self.timezone).unwrap_or(Zone::CHINA)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftSettings {
    pub temperature: f32,
    pub outline_tokens: u32,
    pub section_tokens: u32,
    /// Whether a paragraph that left facts out is asked for once more with them (otherwise
    /// they go in from the facts file at once).
    pub repair: bool,
    /// Whether each section gets only its own facts and passes the guard (nothing invented, no
    /// task talk, no repeats, every fact in). Off only to measure drafting without it.
    pub guard: bool,
}

impl ModelSettings {
    /// Generation threads, resolving 0 to the number of physical cores.
    pub fn effective_threads(&self) -> usize {
        if self.threads == 0 {
            num_cpus::get_physical().max(1)
        } else {
            self.threads
        }
    }

    pub fn effective_threads_batch(&self) -> usize {
        if self.threads_batch == 0 {
            self.effective_threads()
        } else {
            self.threads_batch
        }
    }
}

/// The admin policy's settings: the file, and the settings it fixes (as in a settings file).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyLayer {
    pub file: String,
    pub locked: toml::Table,
}

impl PolicyLayer {
    /// The keys it fixes, `section.name`.
    pub fn keys(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (section, value) in &self.locked {
            match value {
                toml::Value::Table(inner) => {
                    out.extend(inner.keys().map(|name| format!("{section}.{name}")));
                }
                _ => out.push(section.clone()),
            }
        }
        out
    }
}

/// Settings plus where each layer came from, for `doctor` and error messages.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSettings {
    pub settings: Settings,
    pub user_file: Option<PathBuf>,
    pub env_overrides: Vec<String>,
    /// The admin policy's layer, when a policy is in force.
    pub policy: Option<PolicyLayer>,
    /// What the policy overrode in the user's own settings.
    pub warnings: Vec<Message>,
}

impl Settings {
    /// The built-in defaults alone.
    pub fn defaults() -> Self {
        // The defaults are part of the binary and covered by a test; failing here is a build bug.
        let label = msg::layer_defaults().text;
        parse_layer(DEFAULTS, &label)
            .and_then(|v| finish(v, &label))
            .unwrap_or_else(|err| panic!("built-in defaults are invalid: {err}"))
    }

    /// Loads the layers: defaults, then `user_file` if it exists, then the environment.
    pub fn load(user_file: &Path, env: &[(String, String)]) -> Result<LoadedSettings> {
        Self::load_with_policy(user_file, env, None)
    }

    /// Loads the layers, with the admin policy's on top of them all.
    pub fn load_with_policy(
        user_file: &Path,
        env: &[(String, String)],
        policy: Option<&PolicyLayer>,
    ) -> Result<LoadedSettings> {
        let mut merged = parse_layer(DEFAULTS, &msg::layer_defaults().text)?;
        let mut used_file = None;
        match std::fs::read_to_string(user_file) {
            Ok(text) => {
                let label = user_file.display().to_string();
                let layer = parse_layer(&text, &label)?;
                // Checked alone first so an unknown key is reported against this file.
                check_keys(&layer, &label)?;
                merge(&mut merged, layer);
                used_file = Some(user_file.to_path_buf());
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(AppError::io_of(
                    common::cannot_read(user_file.display()),
                    &err,
                ));
            }
        }
        let mut overrides = Vec::new();
        for (name, value) in env {
            let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let Some((section, key)) = rest.split_once("__") else {
                continue;
            };
            let (section, key) = (section.to_ascii_lowercase(), key.to_ascii_lowercase());
            let value = parse_env_value(value);
            let mut layer = toml::Table::new();
            let mut inner = toml::Table::new();
            inner.insert(key, value);
            layer.insert(section, toml::Value::Table(inner));
            let layer = toml::Value::Table(layer);
            check_keys(&layer, &msg::layer_env(name).text)?;
            merge(&mut merged, layer);
            overrides.push(name.clone());
        }
        let mut warnings = Vec::new();
        if let Some(policy) = policy {
            let layer = toml::Value::Table(policy.locked.clone());
            check_keys(&layer, &policy.file)?;
            let before = finish(merged.clone(), &msg::layer_combined().text)?;
            let defaults = Settings::defaults();
            merge(&mut merged, layer);
            let after = finish(merged.clone(), &policy.file)?;
            let (before, after, defaults) = (flat(&before), flat(&after), flat(&defaults));
            for key in policy.keys() {
                // Set by the user (file or environment) to something the policy replaces.
                if before.get(&key) != after.get(&key) && before.get(&key) != defaults.get(&key) {
                    warnings.push(policy_msg::overridden(&key, &policy.file));
                }
            }
        }
        let settings = finish(merged, &msg::layer_combined().text)?;
        Ok(LoadedSettings {
            settings,
            user_file: used_file,
            env_overrides: overrides,
            policy: policy.cloned(),
            warnings,
        })
    }
}

/// Every setting as `section.name` → value.
fn flat(settings: &Settings) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut out = std::collections::BTreeMap::new();
    if let Ok(serde_json::Value::Object(sections)) = serde_json::to_value(settings) {
        for (section, values) in sections {
            if let serde_json::Value::Object(values) = values {
                for (name, value) in values {
                    out.insert(format!("{section}.{name}"), value);
                }
            }
        }
    }
    out
}

fn env_name(key: &str) -> String {
    format!(
        "{ENV_PREFIX}{}",
        key.replace('.', "__").to_ascii_uppercase()
    )
}

impl LoadedSettings {
    /// Every setting with its value and, where a higher layer fixes it, the reason it is locked.
    pub fn list(&self) -> Vec<SettingInfo> {
        let by_policy: Vec<String> = self
            .policy
            .as_ref()
            .map(PolicyLayer::keys)
            .unwrap_or_default();
        flat(&self.settings)
            .into_iter()
            .map(|(key, value)| {
                let var = env_name(&key);
                let locked = match &self.policy {
                    Some(policy) if by_policy.contains(&key) => {
                        Some(policy_msg::locked_by_policy(&policy.file).text)
                    }
                    _ => self
                        .env_overrides
                        .iter()
                        .any(|v| v.eq_ignore_ascii_case(&var))
                        .then(|| msg::locked_by_env(&var).text),
                };
                SettingInfo { key, value, locked }
            })
            .collect()
    }
}

/// Changes one setting in the user's file and loads the settings again. `raw` is read as the
/// setting's own type; a value the settings reject leaves the file as it was.
pub fn write_setting(
    current: &LoadedSettings,
    user_file: &Path,
    env: &[(String, String)],
    key: &str,
    raw: &str,
) -> Result<LoadedSettings> {
    let info = current
        .list()
        .into_iter()
        .find(|s| s.key == key)
        .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::unknown(key)))?;
    if let Some(reason) = info.locked {
        let code = if current
            .policy
            .as_ref()
            .is_some_and(|p| p.keys().iter().any(|k| k == key))
        {
            ErrorCode::Policy
        } else {
            ErrorCode::Config
        };
        return Err(AppError::of(code, msg::locked(key, reason)));
    }
    let raw = raw.trim();
    let bad = || AppError::of(ErrorCode::InvalidInput, msg::bad_value(key, raw));
    let value = match info.value {
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => {
            toml::Value::Integer(raw.parse::<i64>().map_err(|_| bad())?)
        }
        serde_json::Value::Number(_) => toml::Value::Float(raw.parse::<f64>().map_err(|_| bad())?),
        serde_json::Value::Bool(_) => toml::Value::Boolean(raw.parse::<bool>().map_err(|_| bad())?),
        _ => toml::Value::String(raw.to_string()),
    };
    let mut table = match std::fs::read_to_string(user_file) {
        Ok(text) => text.parse::<toml::Table>().map_err(|err| {
            AppError::of(
                ErrorCode::Config,
                msg::invalid_toml(user_file.display(), err),
            )
        })?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => toml::Table::new(),
        Err(err) => {
            return Err(AppError::io_of(
                common::cannot_read(user_file.display()),
                &err,
            ));
        }
    };
    let (section, name) = key.split_once('.').ok_or_else(bad)?;
    let entry = table
        .entry(section.to_string())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let toml::Value::Table(inner) = entry else {
        return Err(AppError::of(
            ErrorCode::Config,
            msg::not_a_table(user_file.display(), section),
        ));
    };
    inner.insert(name.to_string(), value);
    let text = toml::to_string(&table)
        .map_err(|err| AppError::of(ErrorCode::Config, msg::cannot_serialise(err)))?;
    if let Some(dir) = user_file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|err| AppError::io_of(common::cannot_create_dir(dir.display()), &err))?;
    }
    let temp = user_file.with_extension("toml.wenshu.tmp");
    std::fs::write(&temp, &text)
        .map_err(|err| AppError::io_of(common::cannot_write(temp.display()), &err))?;
    let loaded = match Settings::load_with_policy(&temp, env, current.policy.as_ref()) {
        Ok(loaded) => loaded,
        Err(err) => {
            let _ = std::fs::remove_file(&temp);
            // The value is the user's, not the file's: name the setting, not the temporary file.
            return Err(AppError {
                code: ErrorCode::InvalidInput,
                message: err.message.replace(&temp.display().to_string(), key),
                ..err
            });
        }
    };
    std::fs::rename(&temp, user_file)
        .map_err(|err| AppError::io_of(files::cannot_save(user_file.display()), &err))?;
    Ok(LoadedSettings {
        user_file: Some(user_file.to_path_buf()),
        ..loaded
    })
}

fn parse_layer(text: &str, label: &str) -> Result<toml::Value> {
    text.parse::<toml::Table>()
        .map(toml::Value::Table)
        .map_err(|err| AppError::of(ErrorCode::Config, msg::invalid_toml(label, err)))
}

/// Deserialises one layer on top of the defaults so unknown keys and wrong types are reported
/// against the layer that has them.
fn check_keys(layer: &toml::Value, label: &str) -> Result<()> {
    let mut probe = parse_layer(DEFAULTS, &msg::layer_defaults().text)?;
    merge(&mut probe, layer.clone());
    finish(probe, label).map(|_| ())
}

fn finish(value: toml::Value, label: &str) -> Result<Settings> {
    let settings: Settings = value.try_into().map_err(|err: toml::de::Error| {
        AppError::of(ErrorCode::Config, msg::invalid(label, err.message()))
    })?;
    validate(&settings)
        .map_err(|problem| AppError::of(ErrorCode::Config, msg::out_of_range(label, problem)))?;
    Ok(settings)
}

fn validate(s: &Settings) -> std::result::Result<(), Message> {
    let g = &s.generation;
    if !(0.0..=5.0).contains(&g.temperature) {
        return Err(msg::temperature_range(g.temperature));
    }
    if !(0.0..=1.0).contains(&g.top_p) || g.top_p == 0.0 {
        return Err(msg::top_p_range(g.top_p));
    }
    if g.repeat_penalty <= 0.0 {
        return Err(msg::repeat_penalty_range(g.repeat_penalty));
    }
    if g.max_tokens == 0 {
        return Err(msg::max_tokens_zero());
    }
    if s.model.context_tokens < 256 {
        return Err(msg::context_tokens_small(s.model.context_tokens));
    }
    for (key, value) in [
        ("server.connect_timeout_s", s.server.connect_timeout_s),
        (
            "server.first_token_timeout_s",
            s.server.first_token_timeout_s,
        ),
        ("server.idle_timeout_s", s.server.idle_timeout_s),
    ] {
        // Also refuses NaN.
        if !(value > 0.0 && value <= 86_400.0) {
            return Err(msg::server_timeout(key, value));
        }
    }
    if s.model.batch_tokens == 0 {
        return Err(msg::batch_tokens_zero());
    }
    if s.long.piece_tokens < 256 {
        return Err(msg::piece_tokens_small(s.long.piece_tokens));
    }
    if s.long.answer_tokens < 64 {
        return Err(msg::answer_tokens_small(s.long.answer_tokens));
    }
    if s.long.fan_in < 2 {
        return Err(msg::fan_in_small(s.long.fan_in));
    }
    if let Err(err) = Zone::parse(&s.ui.timezone) {
        return Err(msg::timezone_invalid(&s.ui.timezone, err));
    }
    if Lang::parse(&s.ui.language).is_none() {
        return Err(msg::language_invalid(&s.ui.language));
    }
    if let Some(unknown) = s
        .check
        .error_rules()
        .into_iter()
        .find(|id| !wenshu_core::check::RULES.iter().any(|r| r.id == id))
    {
        return Err(msg::unknown_rule(&unknown));
    }
    Ok(())
}

fn merge(base: &mut toml::Value, layer: toml::Value) {
    match (base, layer) {
        (toml::Value::Table(base), toml::Value::Table(layer)) => {
            for (key, value) in layer {
                match base.get_mut(&key) {
                    Some(existing) if existing.is_table() && value.is_table() => {
                        merge(existing, value)
                    }
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, layer) => *base = layer,
    }
}

/// Environment values are TOML scalars when they parse as one (`2`, `0.5`, `true`), text otherwise.
fn parse_env_value(raw: &str) -> toml::Value {
    format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .filter(|v| !v.is_table() && !v.is_array())
        .unwrap_or_else(|| toml::Value::String(raw.to_string()))
}

/// The language `WENSHU_LANG` names, when it names one Wenshu speaks.
fn language_from_env(env: &[(String, String)]) -> Option<Lang> {
    env.iter()
        .find(|(name, _)| name == "WENSHU_LANG")
        .and_then(|(_, value)| Lang::parse(value))
}

/// Sets what holds for the whole process from the settings of the home the environment names:
/// the language of messages (`WENSHU_LANG`, e.g. `en`, winning; Simplified Chinese when the
/// settings cannot be read) and the checker's strictness. Front ends call it first, before
/// anything else can fail.
pub fn apply_process_settings(env: &[(String, String)]) -> Lang {
    // A policy that cannot take effect is reported when Wenshu opens; here it only misses.
    let policy = crate::policy::load(env, crate::now_ms())
        .ok()
        .flatten()
        .map(|p| p.layer());
    let loaded = crate::paths::Home::from_env()
        .ok()
        .and_then(|home| Settings::load_with_policy(&home.config_file, env, policy.as_ref()).ok());
    match loaded {
        Some(loaded) => apply_settings(&loaded.settings, env),
        None => {
            let lang = language_from_env(env).unwrap_or_default();
            set_language(lang);
            lang
        }
    }
}

/// Sets the language of messages (`WENSHU_LANG` still winning) and the checker's strictness
/// from loaded settings.
pub(crate) fn apply_settings(settings: &Settings, env: &[(String, String)]) -> Lang {
    let lang = language_from_env(env).unwrap_or_else(|| settings.ui.lang());
    set_language(lang);
    crate::check::set_error_rules(settings.check.error_rules());
    lang
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("write config");
        (dir, path)
    }

    #[test]
    fn defaults_parse() {
        let s = Settings::defaults();
        assert_eq!(
            s.model.context_tokens, 4096,
            "the documented default window"
        );
        assert!(!s.chat.system_prompt.is_empty());
    }

    #[test]
    fn the_built_in_generation_settings_are_the_sampling_defaults() {
        assert_eq!(
            Settings::defaults().generation,
            Sampling::default(),
            "defaults.toml's [generation] and Sampling::default() are one set of defaults"
        );
        let (_dir, path) = write("[generation]\ntemprature = 0.5\n");
        let err = Settings::load(&path, &[]).expect_err("unknown key");
        assert!(
            err.message.contains("temprature"),
            "a misspelt generation key is named: {}",
            err.message
        );
    }

    #[test]
    fn missing_user_file_means_defaults() {
        let loaded =
            Settings::load(Path::new("/nonexistent/wenshu/config.toml"), &[]).expect("load");
        assert_eq!(loaded.settings, Settings::defaults());
        assert_eq!(loaded.user_file, None);
    }

    #[test]
    fn user_file_overrides_one_key_and_keeps_the_rest() {
        let (_dir, path) = write("[generation]\ntemperature = 0.0\n");
        let loaded = Settings::load(&path, &[]).expect("load");
        assert_eq!(loaded.settings.generation.temperature, 0.0);
        assert_eq!(
            loaded.settings.generation.top_k,
            Settings::defaults().generation.top_k
        );
    }

    #[test]
    fn unknown_key_names_key_and_file() {
        let (_dir, path) = write("[model]\nthreadz = 4\n");
        let err = Settings::load(&path, &[]).expect_err("unknown key");
        assert_eq!(err.code, ErrorCode::Config);
        assert_eq!(err.id, "settings.invalid");
        assert!(
            err.message.contains("threadz"),
            "names the key: {}",
            err.message
        );
        assert!(
            err.message.contains(&path.display().to_string()),
            "names the file: {}",
            err.message
        );
    }

    #[test]
    fn unknown_section_is_an_error() {
        let (_dir, path) = write("[modle]\nthreads = 4\n");
        let err = Settings::load(&path, &[]).expect_err("unknown section");
        assert!(err.message.contains("modle"), "{}", err.message);
    }

    #[test]
    fn environment_overrides_file() {
        let (_dir, path) = write("[model]\nthreads = 4\n");
        let env = vec![("WENSHU_MODEL__THREADS".to_string(), "1".to_string())];
        let loaded = Settings::load(&path, &env).expect("load");
        assert_eq!(
            loaded.settings.model.threads, 1,
            "environment beats the user file"
        );
        assert_eq!(
            loaded.env_overrides,
            vec!["WENSHU_MODEL__THREADS".to_string()]
        );
    }

    #[test]
    fn unknown_environment_key_names_the_variable() {
        let env = vec![("WENSHU_MODEL__FOO".to_string(), "1".to_string())];
        let err = Settings::load(Path::new("/nonexistent"), &env).expect_err("unknown");
        assert!(err.message.contains("WENSHU_MODEL__FOO"), "{}", err.message);
    }

    #[test]
    fn other_wenshu_variables_are_not_settings() {
        let env = vec![("WENSHU_HOME".to_string(), "/tmp/x".to_string())];
        assert!(Settings::load(Path::new("/nonexistent"), &env).is_ok());
    }

    #[test]
    fn out_of_range_value_is_rejected() {
        let (_dir, path) = write("[generation]\ntop_p = 2.0\n");
        let err = Settings::load(&path, &[]).expect_err("range");
        assert_eq!(err.id, "settings.out_of_range");
        assert!(
            err.message.contains("top_p") && err.message.contains(&path.display().to_string()),
            "names the setting and the file: {}",
            err.message
        );
    }

    #[test]
    fn a_written_setting_is_kept_and_a_bad_one_leaves_the_file_alone() {
        let (_dir, file) = write("[chat]\nsystem_prompt = \"你好\"\n");
        let env: Vec<(String, String)> = Vec::new();
        let loaded = Settings::load(&file, &env).expect("load");
        let loaded = write_setting(&loaded, &file, &env, "model.threads", "3").expect("write");
        assert_eq!(loaded.settings.model.threads, 3);
        assert_eq!(loaded.settings.chat.system_prompt, "你好");
        let before = std::fs::read_to_string(&file).expect("read");
        let err = write_setting(&loaded, &file, &env, "generation.temperature", "9")
            .expect_err("out of range");
        assert!(
            err.message.contains("generation.temperature"),
            "{}",
            err.message
        );
        assert_eq!(
            write_setting(&loaded, &file, &env, "model.threads", "many")
                .expect_err("not a number")
                .id,
            "settings.bad_value"
        );
        assert_eq!(
            write_setting(&loaded, &file, &env, "model.nothing", "1")
                .expect_err("no such setting")
                .id,
            "settings.unknown"
        );
        assert_eq!(std::fs::read_to_string(&file).expect("read"), before);
    }

    #[test]
    fn a_setting_the_environment_fixes_is_locked() {
        let (_dir, file) = write("");
        let env = vec![("WENSHU_MODEL__GPU_LAYERS".to_string(), "0".to_string())];
        let loaded = Settings::load(&file, &env).expect("load");
        let info = loaded
            .list()
            .into_iter()
            .find(|s| s.key == "model.gpu_layers")
            .expect("listed");
        assert!(
            info.locked
                .as_deref()
                .is_some_and(|r| r.contains("WENSHU_MODEL__GPU_LAYERS"))
        );
        let err =
            write_setting(&loaded, &file, &env, "model.gpu_layers", "20").expect_err("locked");
        assert_eq!(err.code, ErrorCode::Config);
    }

    #[test]
    fn times_are_in_china_unless_a_zone_is_set() {
        assert_eq!(
            Settings::defaults().ui.zone(),
            Zone::CHINA,
            "China time is the default"
        );
        let (_dir, file) = write("[ui]\ntimezone = \"+09:00\"\n");
        let loaded = Settings::load(&file, &[]).expect("load");
        assert_eq!(
            loaded.settings.ui.zone().offset_minutes(),
            540,
            "the user's zone is used"
        );
        let env: Vec<(String, String)> = Vec::new();
        let loaded = write_setting(&loaded, &file, &env, "ui.timezone", "-05:00").expect("write");
        assert_eq!(
            loaded.settings.ui.zone().offset_minutes(),
            -300,
            "the zone is settable like any setting"
        );
    }

    #[test]
    fn a_zone_not_written_as_an_offset_is_a_config_error_naming_the_key() {
        for (case, text) in [
            ("a zone name", "[ui]\ntimezone = \"Asia/Shanghai\"\n"),
            ("no minutes", "[ui]\ntimezone = \"+8\"\n"),
            ("out of range", "[ui]\ntimezone = \"+25:00\"\n"),
        ] {
            let (_dir, path) = write(text);
            let err = Settings::load(&path, &[]).expect_err(case);
            assert_eq!(err.code, ErrorCode::Config, "{case}: a config error");
            assert!(
                err.message.contains("ui.timezone"),
                "{case}: the message names the key: {}",
                err.message
            );
        }
        let env = vec![("WENSHU_UI__TIMEZONE".to_string(), "UTC+8".to_string())];
        let err = Settings::load(Path::new("/nonexistent"), &env).expect_err("environment");
        assert!(
            err.message.contains("WENSHU_UI__TIMEZONE") && err.message.contains("ui.timezone"),
            "an environment value names the variable and the key: {}",
            err.message
        );
        let env = vec![("WENSHU_UI__TIMEZONE".to_string(), "+00:00".to_string())];
        let loaded = Settings::load(Path::new("/nonexistent"), &env).expect("an offset reads");
        assert_eq!(loaded.settings.ui.zone(), Zone::UTC, "from the environment");
    }

    #[test]
    fn physical_cores_when_threads_is_zero() {
        let s = Settings::defaults();
        assert!(s.model.effective_threads() >= 1);
        assert_eq!(
            s.model.effective_threads_batch(),
            s.model.effective_threads()
        );
    }
}
