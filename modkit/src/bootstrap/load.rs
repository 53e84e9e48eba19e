//! Loading the host config: defaults, then a YAML file, then `MODKIT__...` variables.

use std::path::Path;

use figment::providers::{Format, Serialized, Yaml};
use figment::value::{Dict, Map};
use figment::{Figment, Metadata, Profile, Provider};

use super::env_keys::{ENV_PREFIX, env_key_to_path};
use super::{BootstrapError, HostConfig};

/// Where the YAML layer of the config comes from.
#[derive(Debug, Clone, Copy)]
pub enum ConfigSource<'a> {
    /// No YAML: defaults and environment only.
    None,
    /// A file given by the user (`--config FILE`); it must exist and be readable.
    File(&'a Path),
    /// YAML text built into the binary (a host's bundled default config).
    Bundled(&'a str),
}

/// A loaded config and what loading it noticed.
#[derive(Debug)]
pub struct LoadedConfig {
    /// The effective config.
    pub config: HostConfig,
    /// Top-level keys that nothing reads (a typo such as `modul:`); worth a warning.
    pub unknown_keys: Vec<String>,
}

/// Loads the host config from `source` with the environment on top.
///
/// Every problem names where the value came from and its key path.
pub fn load_host_config(source: ConfigSource<'_>) -> Result<LoadedConfig, BootstrapError> {
    // `vars_os`: a variable that is not UTF-8 is skipped, where `vars` would panic.
    let env = std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)));
    load_with_env(source, env)
}

/// [`load_host_config`] with the environment given, for tests.
pub(crate) fn load_with_env(
    source: ConfigSource<'_>,
    env: impl Iterator<Item = (String, String)>,
) -> Result<LoadedConfig, BootstrapError> {
    let mut figment = Figment::from(Serialized::defaults(HostConfig::default()));
    figment = match source {
        ConfigSource::None => figment,
        ConfigSource::File(path) => {
            // figment skips a missing file silently; a file the user named must exist.
            std::fs::metadata(path).map_err(|source| BootstrapError::UnreadableConfig {
                path: path.to_owned(),
                source,
            })?;
            std::fs::read(path).map_err(|source| BootstrapError::UnreadableConfig {
                path: path.to_owned(),
                source,
            })?;
            let yaml = Yaml::file_exact(path);
            parses(&yaml, &format!("`{}`", path.display()))?;
            figment.merge(yaml)
        }
        ConfigSource::Bundled(text) => {
            let yaml = Labelled {
                inner: Yaml::string(text),
                name: "the built-in default config".to_owned(),
            };
            parses(&yaml, &yaml.name)?;
            figment.merge(yaml)
        }
    };
    figment = merge_env(figment, env);

    let unknown_keys = figment
        .data()
        .map_err(invalid)?
        .get(&Profile::Default)
        .map(|dict| {
            dict.keys()
                .filter(|key| !HostConfig::KNOWN_KEYS.contains(&key.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let config = figment.extract::<HostConfig>().map_err(invalid)?;
    Ok(LoadedConfig {
        config,
        unknown_keys,
    })
}

/// Adds one layer per `MODKIT__...` variable, each named after its variable so that a bad
/// value's error says which variable to fix. Variables are applied in name order.
fn merge_env(mut figment: Figment, env: impl Iterator<Item = (String, String)>) -> Figment {
    let mut overrides: Vec<(String, String)> = env
        .filter(|(name, _)| {
            name.get(..ENV_PREFIX.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(ENV_PREFIX))
        })
        .collect();
    overrides.sort();
    for (name, value) in overrides {
        let Some(path) = env_key_to_path(&name[ENV_PREFIX.len()..]) else {
            continue;
        };
        let value: figment::value::Value = value.parse().unwrap_or_else(|never| match never {});
        figment = figment.merge(Labelled {
            inner: Serialized::default(&path, value),
            name: format!("environment variable `{name}`"),
        });
    }
    figment
}

/// A YAML syntax error carries no location of its own in figment, so it is named here:
/// ``invalid config: `host.yaml` is not valid YAML: did not find expected ',' ...``.
fn parses(yaml: &impl Provider, source: &str) -> Result<(), BootstrapError> {
    yaml.data()
        .map(drop)
        .map_err(|error| BootstrapError::InvalidConfig {
            issues: vec![format!("{source} is not valid YAML: {}", error.kind)],
        })
}

/// A provider whose errors name it as `name`.
struct Labelled<P> {
    inner: P,
    name: String,
}

impl<P: Provider> Provider for Labelled<P> {
    fn metadata(&self) -> Metadata {
        Metadata::named(self.name.clone())
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        self.inner.data()
    }
}

/// One line per figment error: where the value came from, its key, what is wrong.
fn invalid(error: figment::Error) -> BootstrapError {
    let issues = error
        .into_iter()
        .map(|error| {
            let key = error.path.join(".");
            let origin = error.metadata.as_ref().map(|metadata| {
                match metadata
                    .source
                    .as_ref()
                    .and_then(|source| source.file_path())
                {
                    Some(file) => format!("`{}`", file.display()),
                    None => metadata.name.to_string(),
                }
            });
            match (key.is_empty(), origin) {
                (false, Some(origin)) => format!("`{key}` in {origin}: {}", error.kind),
                (false, None) => format!("`{key}`: {}", error.kind),
                (true, Some(origin)) => format!("{origin}: {}", error.kind),
                (true, None) => error.kind.to_string(),
            }
        })
        .collect();
    BootstrapError::InvalidConfig { issues }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;

    /// A YAML file in a fresh temp directory, removed on drop.
    struct TempYaml(PathBuf);

    impl TempYaml {
        fn new(text: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("modkit-load-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("host.yaml");
            std::fs::write(&path, text).unwrap();
            Self(path)
        }
    }

    impl Drop for TempYaml {
        fn drop(&mut self) {
            if let Some(dir) = self.0.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }

    fn env(pairs: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_environment_overrides_the_file_which_overrides_defaults() {
        let file = TempYaml::new(
            "runtime:\n  stop_timeout: 5s\n  concurrency: 2\nmodules:\n  api-gateway:\n    config:\n      bind_addr: 127.0.0.1:8080\n",
        );
        let loaded = load_with_env(
            ConfigSource::File(&file.0),
            env(&[
                ("MODKIT__RUNTIME__CONCURRENCY", "8"),
                (
                    "MODKIT__MODULES__API_GATEWAY__CONFIG__BIND_ADDR",
                    "127.0.0.1:0",
                ),
                ("MODKIT__MODULES__USERS__CONFIG__PAGE_SIZE", "50"),
                ("UNRELATED", "x"),
                ("MODKIT_SINGLE_UNDERSCORE", "ignored"),
            ]),
        )
        .unwrap();
        let config = loaded.config;
        assert_eq!(config.runtime.options().concurrency, 8);
        assert_eq!(
            config.runtime.options().stop_timeout,
            Duration::from_secs(5)
        );
        assert_eq!(
            config.runtime.options().start_timeout,
            Duration::from_secs(30)
        );
        assert_eq!(
            config.modules["api-gateway"]["config"]["bind_addr"],
            "127.0.0.1:0"
        );
        assert_eq!(config.modules["users"]["config"]["page_size"], 50);
        assert!(loaded.unknown_keys.is_empty());
    }

    #[test]
    fn a_wrong_type_names_the_file_and_the_key() {
        let file = TempYaml::new("runtime:\n  concurrency: lots\n");
        let error = load_with_env(ConfigSource::File(&file.0), env(&[])).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("`runtime.concurrency`"), "{text}");
        assert!(text.contains("host.yaml"), "{text}");
        assert_eq!(error.exit_status(), 2);
    }

    #[test]
    fn a_wrong_type_from_the_environment_names_the_variable() {
        let error = load_with_env(
            ConfigSource::None,
            env(&[("MODKIT__RUNTIME__STOP_TIMEOUT", "soon")]),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("MODKIT__RUNTIME__STOP_TIMEOUT"), "{error}");
        assert!(error.contains("`soon`"), "{error}");
    }

    #[test]
    fn an_unknown_key_in_a_section_is_an_error_and_at_the_top_a_warning() {
        let file = TempYaml::new("server:\n  home: /tmp\n");
        let error = load_with_env(ConfigSource::File(&file.0), env(&[])).unwrap_err();
        assert!(error.to_string().contains("`home`"), "{error}");

        let loaded =
            load_with_env(ConfigSource::Bundled("modul:\n  users: {}\n"), env(&[])).unwrap();
        assert_eq!(loaded.unknown_keys, ["modul"]);
    }

    #[test]
    fn a_missing_file_is_named() {
        let path = std::env::temp_dir().join("modkit-no-such-dir/host.yaml");
        let error = load_with_env(ConfigSource::File(&path), env(&[])).unwrap_err();
        assert!(matches!(error, BootstrapError::UnreadableConfig { .. }));
        assert!(
            error.to_string().contains("modkit-no-such-dir/host.yaml"),
            "{error}"
        );
    }

    #[test]
    fn a_yaml_syntax_error_names_the_file() {
        let file = TempYaml::new("modules:\n  users:\n    config: [1, 2\n");
        let error = load_with_env(ConfigSource::File(&file.0), env(&[])).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("host.yaml` is not valid YAML"), "{text}");
        assert_eq!(error.exit_status(), 2);
        let error = load_with_env(ConfigSource::Bundled("a: [1\n"), env(&[])).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("built-in default config is not valid YAML"),
            "{error}"
        );
    }

    #[test]
    fn a_zero_deadline_is_refused_naming_its_key() {
        let file = TempYaml::new("runtime:\n  stop_timeout: 0\n");
        let text = load_with_env(ConfigSource::File(&file.0), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(text.contains("`runtime.stop_timeout`"), "{text}");
        assert!(text.contains("greater than zero"), "{text}");
        let text = load_with_env(
            ConfigSource::None,
            env(&[("MODKIT__RUNTIME__START_TIMEOUT", "0ms")]),
        )
        .unwrap_err()
        .to_string();
        assert!(text.contains("MODKIT__RUNTIME__START_TIMEOUT"), "{text}");
        assert!(text.contains("greater than zero"), "{text}");
    }

    #[test]
    fn a_childs_environment_keys_keep_their_case_from_the_environment() {
        let loaded = load_with_env(
            ConfigSource::None,
            env(&[(
                "MODKIT__MODULES__CALCULATOR__RUNTIME__EXECUTION__ENV__MY_TOKEN",
                "abc",
            )]),
        )
        .unwrap();
        let env = &loaded.config.modules["calculator"]["runtime"]["execution"]["env"];
        assert_eq!(env["MY_TOKEN"], "abc", "{env}");
        assert!(env.get("my_token").is_none(), "{env}");
    }

    #[test]
    fn bundled_yaml_errors_say_it_was_the_built_in_config() {
        let error = load_with_env(ConfigSource::Bundled("logging:\n  format: xml\n"), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("built-in default config"), "{error}");
        assert!(error.contains("`logging.format`"), "{error}");
    }
}
