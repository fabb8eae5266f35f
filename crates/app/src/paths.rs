//! Where Wenshu keeps its files: `WENSHU_HOME` when set (tests, portable installs), otherwise
//! the XDG data and config directories.

use std::path::{Path, PathBuf};

use wenshu_api::messages::settings;

use crate::error::{AppError, ErrorCode, Result};

/// The directories and files of one Wenshu installation for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
}

impl Home {
    /// Resolves the home from the environment.
    pub fn from_env() -> Result<Self> {
        Self::resolve(&|key| {
            std::env::var_os(key)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }

    /// A home rooted at one directory, as `WENSHU_HOME` gives.
    pub fn at(root: &Path) -> Self {
        Self {
            data_dir: root.to_path_buf(),
            config_file: root.join("config.toml"),
        }
    }

    fn resolve(env: &dyn Fn(&str) -> Option<PathBuf>) -> Result<Self> {
        if let Some(root) = env("WENSHU_HOME") {
            return Ok(Self::at(&root));
        }
        let home = env("HOME");
        let under_home = |rel: &str| home.as_ref().map(|h| h.join(rel));
        let data = env("XDG_DATA_HOME").or_else(|| under_home(".local/share"));
        let config = env("XDG_CONFIG_HOME").or_else(|| under_home(".config"));
        match (data, config) {
            (Some(data), Some(config)) => Ok(Self {
                data_dir: data.join("wenshu"),
                config_file: config.join("wenshu").join("config.toml"),
            }),
            _ => Err(AppError::of(ErrorCode::Config, settings::no_home())),
        }
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("wenshu.db")
    }

    pub fn models_dir(&self) -> PathBuf {
        self.data_dir.join("models")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<PathBuf> {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| PathBuf::from(v))
        }
    }

    #[test]
    fn wenshu_home_wins() {
        let home = Home::resolve(&env(&[("WENSHU_HOME", "/w"), ("HOME", "/h")])).expect("home");
        assert_eq!(home.data_dir, PathBuf::from("/w"));
        assert_eq!(home.config_file, PathBuf::from("/w/config.toml"));
    }

    #[test]
    fn xdg_defaults_under_home() {
        let home = Home::resolve(&env(&[("HOME", "/h")])).expect("home");
        assert_eq!(home.data_dir, PathBuf::from("/h/.local/share/wenshu"));
        assert_eq!(
            home.config_file,
            PathBuf::from("/h/.config/wenshu/config.toml")
        );
    }

    #[test]
    fn xdg_variables_are_honoured() {
        let home = Home::resolve(&env(&[
            ("HOME", "/h"),
            ("XDG_DATA_HOME", "/d"),
            ("XDG_CONFIG_HOME", "/c"),
        ]))
        .expect("home");
        assert_eq!(home.data_dir, PathBuf::from("/d/wenshu"));
        assert_eq!(home.config_file, PathBuf::from("/c/wenshu/config.toml"));
    }

    #[test]
    fn no_home_at_all_is_a_configuration_error() {
        let err = Home::resolve(&env(&[])).expect_err("nowhere to live");
        assert_eq!(err.code, ErrorCode::Config);
        assert_eq!(err.id, "settings.no_home");
    }
}
