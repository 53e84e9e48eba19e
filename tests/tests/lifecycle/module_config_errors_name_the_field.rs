//! `ctx.config::<T>()` reads the module's `modules.<name>.config` section: a value of the
//! wrong type is a `ConfigError::Invalid` whose path names the field; a module with no
//! section reads an all-default config.

use std::sync::Arc;

use modkit::config::{ConfigError, ModulesConfig};
use modkit::registry::RegistryBuilder;
use modkit::{
    CancellationToken, ClientHub, Module, ModuleContextBuilder, ModuleCtx, Phase, RegistryError,
};
use modkit_tests::TestHost;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
struct UsersConfig {
    page_size: u32,
    limits: Limits,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
struct Limits {
    burst: u32,
}

fn ctx_of(name: &'static str, config: ModulesConfig) -> ModuleCtx {
    ModuleContextBuilder::new(
        uuid::Uuid::new_v4(),
        Arc::new(config),
        Arc::new(ClientHub::new()),
        CancellationToken::new(),
    )
    .for_module(name)
}

fn invalid_path(error: ConfigError) -> (String, String) {
    match error {
        ConfigError::Invalid { module, path, .. } => (module, path),
        other => panic!("expected ConfigError::Invalid, got {other:?}"),
    }
}

#[test]
fn a_wrong_type_names_the_module_and_the_field() {
    let config =
        ModulesConfig::empty().with_module_config("users", json!({ "page_size": "fifty" }));
    let error = ctx_of("users", config).config::<UsersConfig>().unwrap_err();

    let message = error.to_string();
    assert!(
        message.contains("`users`") && message.contains("`modules.users.config.page_size`"),
        "{message}"
    );
    assert_eq!(
        invalid_path(error),
        (
            "users".to_owned(),
            "modules.users.config.page_size".to_owned()
        )
    );
}

#[test]
fn a_nested_field_is_named_by_its_whole_path() {
    let config =
        ModulesConfig::empty().with_module_config("users", json!({ "limits": { "burst": -1 } }));
    let error = ctx_of("users", config).config::<UsersConfig>().unwrap_err();

    assert_eq!(invalid_path(error).1, "modules.users.config.limits.burst");
}

#[test]
fn a_module_without_a_section_reads_its_defaults() {
    let config = ModulesConfig::empty().with_module_config("audit", json!({ "page_size": 5 }));
    let users: UsersConfig = ctx_of("users", config).config().unwrap();
    assert_eq!(users, UsersConfig::default());
}

#[test]
fn a_module_with_a_section_reads_its_values() {
    let config = ModulesConfig::empty().with_module_config(
        "users",
        json!({ "page_size": 50, "limits": { "burst": 7 } }),
    );
    let users: UsersConfig = ctx_of("users", config).config().unwrap();
    assert_eq!(
        users,
        UsersConfig {
            page_size: 50,
            limits: Limits { burst: 7 },
        }
    );
}

/// Reads its config in init, as a real module does.
struct Users;

#[modkit::async_trait]
impl Module for Users {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        let _config: UsersConfig = ctx.config()?;
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_error_in_init_fails_start_up_naming_the_field() {
    let mut builder = RegistryBuilder::default();
    builder.register_core_with_meta("users", &[], Arc::new(Users));
    let config = ModulesConfig::empty().with_module_config("users", json!({ "page_size": [1, 2] }));

    let finished = TestHost::new(builder)
        .config(config)
        .run_expecting_failure()
        .await;

    let RegistryError::Phase {
        phase,
        module,
        source,
    } = finished.error()
    else {
        panic!("expected a phase error, got {:?}", finished.error());
    };
    assert_eq!((*phase, module.as_str()), (Phase::Init, "users"));
    let config_error = source
        .downcast_ref::<ConfigError>()
        .expect("the cause is the ConfigError");
    let ConfigError::Invalid { path, .. } = config_error else {
        panic!("expected ConfigError::Invalid, got {config_error:?}");
    };
    assert_eq!(path, "modules.users.config.page_size");
}
