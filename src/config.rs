//! The config file (`config.toml` in the platform config directory, or `--config FILE`).
//! Every key is optional; README.md documents them all. Unknown keys are errors, so a
//! typo never silently does nothing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::textpos::toml_error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A built-in theme name (default, light, high-contrast) or a path to a theme file.
    pub theme: Option<String>,
    /// The store directory; `--store` and `OPPI_STORE` take priority.
    pub store: Option<PathBuf>,
    /// The name written to change logs; defaults to the login name.
    pub user: Option<String>,
    /// A keymap file whose bindings take priority over the built-in ones.
    pub keymap: Option<PathBuf>,
    /// Extra directories of survey definitions (`*.toml`), besides the built-in ones.
    pub surveys: Vec<PathBuf>,
    pub backups: BackupsConfig,
    pub server: ServerConfig,
}

/// Automatic backups: the whole store as JSON in `backups/` inside the store directory,
/// written when the app closes (and when it first opens a store that has none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupsConfig {
    /// How many to keep, newest first; 0 turns automatic backups off.
    pub keep: usize,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig { keep: 5 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub listen: String,
    /// Public keys (OpenSSH format, one a line) of facilitators.
    pub facilitators_file: Option<PathBuf>,
    pub max_sessions: u32,
    pub max_sessions_per_address: u32,
    pub input_bytes_per_second: u32,
    pub max_item_chars: u32,
    pub max_items_per_phase: u32,
    pub max_auth_attempts: u32,
    pub idle_timeout_minutes: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "0.0.0.0:2222".into(),
            facilitators_file: None,
            max_sessions: 200,
            max_sessions_per_address: 30,
            input_bytes_per_second: 4096,
            max_item_chars: 280,
            max_items_per_phase: 20,
            max_auth_attempts: 3,
            idle_timeout_minutes: 120,
        }
    }
}

impl Config {
    pub fn parse(origin: &str, text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| toml_error(origin, text, &e))
    }

    /// Loads `explicit` (which must exist), or the default file if there is one.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), String> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match default_path() {
                Some(p) if p.exists() => p,
                _ => return Ok((Config::default(), None)),
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let config = Config::parse(&path.display().to_string(), &text)?;
        Ok((config, Some(path)))
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "oppi")
}

pub fn default_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

pub fn default_store() -> PathBuf {
    project_dirs().map_or_else(|| PathBuf::from("oppi-store"), |d| d.data_dir().join("store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(Config::parse("c.toml", "").unwrap(), Config::default());
    }

    #[test]
    fn every_key_parses() {
        let text = r#"
theme = "light"
store = "/srv/oppi"
user = "Lead evaluator"
keymap = "keys.toml"
surveys = ["/srv/surveys"]
[backups]
keep = 2
[server]
listen = "127.0.0.1:2200"
facilitators_file = "facilitators.pub"
max_sessions = 10
max_sessions_per_address = 2
input_bytes_per_second = 100
max_item_chars = 80
max_items_per_phase = 5
max_auth_attempts = 2
idle_timeout_minutes = 5
"#;
        let c = Config::parse("c.toml", text).unwrap();
        assert_eq!(c.server.max_sessions, 10);
        assert_eq!(c.backups.keep, 2);
        assert_eq!(c.surveys, vec![PathBuf::from("/srv/surveys")]);
    }

    #[test]
    fn typo_is_an_error_with_position() {
        let err = Config::parse("c.toml", "theme = \"light\"\n[server]\nlisten_on = \"x\"\n").unwrap_err();
        assert!(err.starts_with("c.toml:3:1"), "{err}");
    }
}
