//! Models on an inference server: registering one (`model add-server`), the policy's say over
//! which servers are reached and what they may receive, and opening the backend a model record
//! names, local or remote, behind the one port.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wenshu_api::messages::{models as model_msg, server as msg};
use wenshu_core::{LanguageModel, ModelMetadata};
use wenshu_llm::{LocalModel, RuntimeOptions};
use wenshu_remote::{RemoteModel, ServerOptions, Timeouts};
use wenshu_store::ModelRecord;

use crate::error::{AppError, ErrorCode, Result};
use crate::models::sha256_hex;
use crate::{ModelInfo, Wenshu};

/// How to reach a model on one or more inference servers, as the registry keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSpec {
    /// Base URLs, tried in this order.
    pub urls: Vec<String>,
    /// The model id on the server; the first it lists when not given.
    #[serde(default)]
    pub model_id: Option<String>,
    /// PEM file of the CA that signs the servers' certificates.
    #[serde(default)]
    pub ca: Option<String>,
    /// File holding the API key (readable by the user alone).
    #[serde(default)]
    pub key_file: Option<String>,
}

/// What `model add-server` asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddServer {
    pub name: String,
    pub urls: Vec<String>,
    pub model_id: Option<String>,
    pub ca: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
}

/// A model backend opened for one record.
pub(crate) type Backend = Box<dyn LanguageModel + Send>;

impl ServerSpec {
    pub(crate) fn of(record: &ModelRecord) -> Result<Self> {
        record
            .server
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .ok_or_else(|| {
                AppError::of(
                    ErrorCode::Storage,
                    wenshu_api::messages::store::corrupt(format!("model {}: server", record.name)),
                )
            })
    }
}

/// The API key in `path`, refused when other users can read the file.
fn read_key(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let unreadable =
        |detail: String| AppError::of(ErrorCode::Config, msg::key_unreadable(&shown, detail));
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(AppError::of(ErrorCode::Config, msg::key_open(&shown)));
        }
    }
    let _ = meta;
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let key = text.trim();
    if key.is_empty() {
        return Err(AppError::of(ErrorCode::Config, msg::key_empty(&shown)));
    }
    Ok(key.to_string())
}

impl Wenshu {
    /// Refuses a server URL that the policy does not name (without a policy, servers on this
    /// computer only). Nothing is sent to a refused server. Returns the CA the policy pins for
    /// it, if any.
    pub(crate) fn server_allowed(&self, url: &str) -> Result<Option<String>> {
        let Some(origin) = wenshu_remote::origin(url) else {
            return Err(AppError::of(ErrorCode::InvalidInput, msg::bad_url(url)));
        };
        match self.policy() {
            Some(p) => {
                let rule = p
                    .policy
                    .servers
                    .iter()
                    .find(|rule| wenshu_remote::origin(&rule.url).as_ref() == Some(&origin));
                match rule {
                    Some(rule) => Ok(rule.ca.clone().or_else(|| p.policy.server_ca.clone())),
                    None if wenshu_remote::is_loopback(url) => Ok(None),
                    None => Err(AppError::of(
                        ErrorCode::Policy,
                        msg::not_allowed(url, p.label()),
                    )),
                }
            }
            None if wenshu_remote::is_loopback(url) => Ok(None),
            None => Err(AppError::of(ErrorCode::Policy, msg::not_loopback(url))),
        }
    }

    /// Refuses material of `level` for a server model when one of its servers may not receive
    /// it under the policy.
    pub(crate) fn check_server_ceiling(&self, record: &ModelRecord, level: &str) -> Result<()> {
        if !record.is_remote() {
            return Ok(());
        }
        let (Some(p), Some(rank)) = (self.policy(), self.level_rank(level)) else {
            return Ok(());
        };
        for url in ServerSpec::of(record)?.urls {
            let origin = wenshu_remote::origin(&url);
            let ceiling = p
                .policy
                .servers
                .iter()
                .find(|rule| wenshu_remote::origin(&rule.url) == origin)
                .and_then(|rule| rule.max_level.clone());
            if let Some(ceiling) = ceiling
                && self.level_rank(&ceiling).is_some_and(|c| rank > c)
            {
                return Err(AppError::of(
                    ErrorCode::Policy,
                    msg::above_ceiling(&url, self.level_name(rank), ceiling),
                ));
            }
        }
        Ok(())
    }

    fn server_options(&self, spec: &ServerSpec) -> Result<ServerOptions> {
        let mut pinned_ca = None;
        for url in &spec.urls {
            if let Some(ca) = self.server_allowed(url)? {
                pinned_ca = Some(ca);
            }
        }
        let s = &self.settings().server;
        let mut options = ServerOptions::new(spec.urls.clone());
        options.model_id.clone_from(&spec.model_id);
        // The policy's CA wins over the user's: users cannot trust another CA for its servers.
        options.ca_file = pinned_ca.or_else(|| spec.ca.clone()).map(PathBuf::from);
        if let Some(ca) = &options.ca_file
            && !ca.is_file()
        {
            return Err(AppError::of(
                ErrorCode::Config,
                msg::ca_missing(ca.display()),
            ));
        }
        options.api_key = spec
            .key_file
            .as_deref()
            .map(|f| read_key(Path::new(f)))
            .transpose()?;
        options.timeouts = Timeouts {
            connect: Duration::from_secs_f32(s.connect_timeout_s),
            first_token: Duration::from_secs_f32(s.first_token_timeout_s),
            idle: Duration::from_secs_f32(s.idle_timeout_s),
        };
        options.max_response_bytes = u64::from(s.max_response_mb) << 20;
        Ok(options)
    }

    /// Opens the backend `record` names: its GGUF file in this process, or its server.
    pub(crate) fn open_backend(
        &self,
        record: &ModelRecord,
        options: RuntimeOptions,
    ) -> Result<Backend> {
        if !record.is_remote() {
            return Ok(Box::new(LocalModel::open(
                Path::new(&record.path),
                options,
            )?));
        }
        let spec = ServerSpec::of(record)?;
        let mut model = RemoteModel::open(self.server_options(&spec)?)?;
        for failover in model.take_failovers() {
            self.say_failover(&failover.down, &failover.next, &failover.reason);
        }
        Ok(Box::new(model))
    }

    /// Says on stderr, and in the audit log, that a server was down and another answered.
    pub(crate) fn say_failover(&self, down: &str, next: &str, reason: &str) {
        let message = msg::failover(down, next, reason);
        eprintln!("{}", message.text);
        let mut entry = self.entry(wenshu_core::EntryKind::Refusal, "wenshu");
        entry.error = Some(message.text);
        entry.detail =
            serde_json::json!({ "failover": { "down": down, "next": next } }).to_string();
        let _ = self.record(&entry);
    }

    /// Registers a model on an inference server after asking the server what it serves.
    pub fn add_server(&self, request: &AddServer) -> Result<ModelInfo> {
        if !crate::models::valid_name(&request.name) {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                model_msg::invalid_name(&request.name),
            ));
        }
        if self.store().model_by_name(&request.name)?.is_some() {
            return Err(AppError::of(
                ErrorCode::AlreadyExists,
                model_msg::name_taken(&request.name),
            ));
        }
        if request.urls.is_empty() {
            return Err(AppError::of(ErrorCode::InvalidInput, msg::bad_url("")));
        }
        let absolute = |p: &PathBuf| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        };
        let spec = ServerSpec {
            urls: request.urls.iter().map(|u| u.trim().to_string()).collect(),
            model_id: request.model_id.clone(),
            ca: request.ca.as_ref().map(absolute),
            key_file: request.key_file.as_ref().map(absolute),
        };
        // The policy first: nothing goes to a server it does not name.
        let options = self.server_options(&spec)?;
        let model = RemoteModel::open(options)?;
        let info = model.info();
        let spec = ServerSpec {
            model_id: Some(info.model_id.clone()),
            ..spec
        };
        let json = serde_json::to_string(&spec).unwrap_or_default();
        let meta = ModelMetadata {
            name: info.model_id.clone(),
            architecture: info.kind.as_str().to_string(),
            context_length: info
                .context_window
                .map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX)),
            ..ModelMetadata::default()
        };
        let id = sha256_hex(format!("wenshu-server\n{json}").as_bytes());
        let record = self.store().insert_server_model(
            &request.name,
            &spec.urls[0],
            &id,
            &json,
            &meta,
            self.now(),
        )?;
        let active = self.active_model().ok().map(|m| m.sha256) == Some(record.sha256.clone());
        Ok(crate::report::model_info(record, active))
    }

    /// Asks the active model's server (each of its URLs) whether it answers, serves the model
    /// and how large its context is, for `doctor`.
    pub(crate) fn check_servers(
        &self,
        record: &ModelRecord,
    ) -> std::result::Result<String, String> {
        let spec = ServerSpec::of(record).map_err(|e| e.message)?;
        let options = self.server_options(&spec).map_err(|e| e.message)?;
        let mut lines = Vec::new();
        let mut any = false;
        for url in &spec.urls {
            match wenshu_remote::probe(&options, url) {
                Ok(info) => {
                    any = true;
                    lines.push(
                        model_msg::doctor_server_ok(
                            &info.url,
                            info.kind.as_str(),
                            &info.model_id,
                            info.context_window
                                .map_or_else(|| "?".to_string(), |c| c.to_string()),
                            info.latency_ms,
                        )
                        .text,
                    );
                }
                Err(err) => lines.push(AppError::from(err).message),
            }
        }
        if any {
            Ok(lines.join("；"))
        } else {
            Err(lines.join("；"))
        }
    }

    /// The model id the audit log records for a call: the file's SHA-256 for a local model,
    /// `openai:URL#model` for a server model (the URL that answers).
    pub(crate) fn audit_model(
        record: &ModelRecord,
        backend: &wenshu_core::Capabilities,
        model_id: &str,
    ) -> String {
        if record.is_remote() {
            format!("{}#{model_id}", backend.backend)
        } else {
            record.sha256.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Home;
    use wenshu_packs::policy::sign_policy;
    use wenshu_packs::sign::keygen;

    fn under_policy(dir: &Path, text: &str) -> Wenshu {
        let pair = keygen().expect("keygen");
        let policy = dir.join("policy.toml");
        std::fs::write(&policy, text).expect("write");
        std::fs::write(dir.join("policy.pub"), &pair.public).expect("write");
        let sig = sign_policy(&pair.secret, text).expect("sign");
        std::fs::write(dir.join("policy.toml.minisig"), sig).expect("write");
        let env = vec![("WENSHU_POLICY".to_string(), policy.display().to_string())];
        Wenshu::open(Home::at(&dir.join("home")), &env).expect("open")
    }

    fn server_record(urls: &[&str], ca: Option<&str>) -> ModelRecord {
        let spec = ServerSpec {
            urls: urls.iter().map(|u| u.to_string()).collect(),
            model_id: Some("qwen7b".into()),
            ca: ca.map(str::to_string),
            key_file: None,
        };
        ModelRecord {
            id: 1,
            name: "dept".into(),
            path: urls[0].into(),
            sha256: "0".repeat(64),
            metadata: ModelMetadata::default(),
            imported_at_ms: 0,
            backend: "openai".into(),
            server: Some(serde_json::to_string(&spec).expect("json")),
        }
    }

    #[test]
    fn the_policy_names_the_servers_pins_their_ca_and_bounds_what_they_receive() {
        let dir = tempfile::tempdir().expect("dir");
        let pinned = dir.path().join("pinned.pem");
        let own = dir.path().join("own.pem");
        std::fs::write(&pinned, "").expect("write");
        std::fs::write(&own, "").expect("write");
        let text = format!(
            "server_ca = \"{}\"\n\
             [[servers]]\nurl = \"https://llm.example:8443\"\nmax_level = \"内部\"\n\
             [[servers]]\nurl = \"http://10.1.1.1:8080\"\nca = \"{}\"\n",
            pinned.display(),
            own.display()
        );
        let wenshu = under_policy(dir.path(), &text);
        let pinned_text = pinned.display().to_string();
        // Named by scheme, host and port; a path and the default port do not matter.
        assert_eq!(
            wenshu
                .server_allowed("https://LLM.example:8443/v1")
                .expect("named"),
            Some(pinned_text.clone())
        );
        assert_eq!(
            wenshu
                .server_allowed("http://10.1.1.1:8080")
                .expect("named"),
            Some(own.display().to_string())
        );
        assert_eq!(
            wenshu
                .server_allowed("http://127.0.0.1:8080")
                .expect("loopback"),
            None
        );
        for other in [
            "http://10.1.1.2:8080",
            "http://llm.example:8443",
            "https://llm.example",
        ] {
            let err = wenshu.server_allowed(other).expect_err(other);
            assert_eq!(
                (err.code, err.id),
                (ErrorCode::Policy, "server.not_allowed"),
                "{other}"
            );
        }
        // The user's own CA gives way to the one the policy pins.
        let spec = ServerSpec::of(&server_record(
            &["https://llm.example:8443"],
            Some(&dir.path().join("users.pem").display().to_string()),
        ))
        .expect("spec");
        let options = wenshu.server_options(&spec).expect("options");
        assert_eq!(options.ca_file, Some(pinned.clone()));
        // 敏感 is above the server's ceiling; 内部 is not.
        let record = server_record(&["https://llm.example:8443"], None);
        let err = wenshu
            .check_server_ceiling(&record, "敏感")
            .expect_err("above");
        assert_eq!(err.id, "server.above_ceiling");
        assert!(
            err.message.contains("https://llm.example:8443"),
            "{}",
            err.message
        );
        wenshu
            .check_server_ceiling(&record, "内部")
            .expect("within");
    }

    #[test]
    fn without_a_policy_only_a_server_on_this_computer_is_reached() {
        let dir = tempfile::tempdir().expect("dir");
        let wenshu = Wenshu::open(Home::at(dir.path()), &[]).expect("open");
        assert_eq!(
            wenshu
                .server_allowed("http://[::1]:8080")
                .expect("loopback"),
            None
        );
        let err = wenshu
            .server_allowed("http://10.1.1.1:8080")
            .expect_err("beyond");
        assert_eq!(
            (err.code, err.id),
            (ErrorCode::Policy, "server.not_loopback")
        );
        let err = wenshu
            .server_allowed("ftp://10.1.1.1")
            .expect_err("not http");
        assert_eq!(err.id, "server.bad_url");
    }
}
