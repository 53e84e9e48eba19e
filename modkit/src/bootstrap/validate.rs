//! What makes a host config valid beyond its shape: every configured module exists, and
//! every module's sections read as the runtime and the module itself will read them.
//!
//! `check` runs exactly this and starts nothing; `run`, `migrate` and `graph` run it first,
//! so a config that `check` passes is one they accept, and every problem is reported at
//! once, before any module runs.

use super::database::database_issues;
use super::{BootstrapError, HostConfig};
use crate::config::ConfigProvider;
use crate::registry::{ModuleRegistry, closest};
use crate::runtime::DbOptions;

/// Every problem of `config` for the host `registry` describes, or `Ok`.
pub(crate) fn validate_host(
    config: &HostConfig,
    registry: &ModuleRegistry,
    modules: &dyn ConfigProvider,
    db: &DbOptions,
) -> Result<(), BootstrapError> {
    let mut issues = unknown_modules(config, registry);
    let options = config.runtime.options();
    for entry in registry.modules() {
        // An out-of-process section is read whole, timeouts included, by
        // `placement_issues`: one reading, one report per bad key.
        let placed_oop = config.modules.get(entry.name()).is_some_and(is_oop);
        if let (false, Err(issue)) = (placed_oop, options.deadlines_for(entry.name(), modules)) {
            issues.push(issue);
        }
        if let Some(Err(error)) = entry
            .typed_config()
            .map(|typed| typed.check(entry.name(), modules))
        {
            issues.push(error.to_string());
        }
    }
    issues.extend(database_issues(db, registry));
    issues.extend(placement_issues(config));
    issues.extend(telemetry_issue(config));
    if issues.is_empty() {
        Ok(())
    } else {
        Err(BootstrapError::InvalidConfig { issues })
    }
}

/// The `telemetry.tracing` section reads, and tracing is built in when it is turned on.
fn telemetry_issue(config: &HostConfig) -> Option<String> {
    use crate::telemetry::otel::{TelemetryError, TracingConfig};
    match TracingConfig::enabled_in(&config.telemetry) {
        Err(error) => Some(error.to_string()),
        Ok(Some(_)) if !cfg!(feature = "otel") => Some(TelemetryError::NotBuiltIn.to_string()),
        Ok(_) => None,
    }
}

/// Whether `modules.<name>` asks to run the module out of process (then the host need not
/// link it); the rest of its section is checked with the other module settings.
fn is_oop(section: &serde_json::Value) -> bool {
    cfg!(feature = "oop")
        && section
            .get("runtime")
            .and_then(|runtime| runtime.get("type"))
            .and_then(serde_json::Value::as_str)
            == Some("oop")
}

/// Every name under `modules` must be a linked module, or run out of process.
fn unknown_modules(config: &HostConfig, registry: &ModuleRegistry) -> Vec<String> {
    let known = || registry.modules().iter().map(|entry| entry.name());
    config
        .modules
        .iter()
        .filter(|(name, section)| registry.get_module(name).is_none() && !is_oop(section))
        .map(|(name, _)| {
            let hint = match closest(name, known()) {
                Some(close) => format!(" (did you mean `{close}`?)"),
                None => {
                    let mut names: Vec<&str> = known().collect();
                    names.sort_unstable();
                    format!("; the linked modules are: {}", names.join(", "))
                }
            };
            format!("unknown module `{name}` under `modules` in the config{hint}")
        })
        .collect()
}

/// Every out-of-process section reads, and names a program that exists.
#[cfg(feature = "oop")]
fn placement_issues(config: &HostConfig) -> Vec<String> {
    use crate::oop::OopRuntimeConfig;

    let mut issues = Vec::new();
    for (name, section) in &config.modules {
        match OopRuntimeConfig::from_section(name, Some(section)) {
            Ok(None) => {}
            Ok(Some(oop)) => {
                if let Err(reason) = oop.execution.check_program() {
                    issues.push(format!(
                        "invalid `modules.{name}.runtime.execution.binary`: {reason}"
                    ));
                }
            }
            Err(error) => issues.push(error.to_string()),
        }
    }
    issues
}

#[cfg(not(feature = "oop"))]
fn placement_issues(_config: &HostConfig) -> Vec<String> {
    Vec::new()
}

#[cfg(all(test, feature = "oop"))]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::registry::RegistryBuilder;

    struct Noop;

    #[async_trait::async_trait]
    impl crate::Module for Noop {
        async fn init(&self, _ctx: &crate::ModuleCtx) -> anyhow::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_bad_key_of_an_out_of_process_section_is_reported_once() {
        let config: HostConfig = serde_json::from_value(json!({
            "modules": {
                "calc": { "runtime": { "type": "oop", "stop_timeot": "1s",
                                       "execution": { "binary": "/bin/true" } } }
            }
        }))
        .unwrap();
        let mut builder = RegistryBuilder::default();
        builder.register_core_with_meta("calc", &[], Arc::new(Noop));
        let registry = builder.build_topo_sorted().unwrap();
        let modules = config.modules_config();

        let Err(BootstrapError::InvalidConfig { issues }) =
            validate_host(&config, &registry, &modules, &DbOptions::None)
        else {
            panic!("the bad key was accepted");
        };
        assert_eq!(issues.len(), 1, "{issues:#?}");
        assert!(issues[0].contains("stop_timeot"), "{issues:#?}");
    }
}
