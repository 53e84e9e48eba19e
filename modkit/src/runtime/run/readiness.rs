//! `modules.<name>.readiness`: whether the host's readiness waits for a module.

use serde::Deserialize as _;

use crate::config::ConfigProvider;
use crate::registry::{ModuleRegistry, RegistryError};
use crate::runtime::Readiness;

/// The positions of the modules configured `readiness: optional`; an error names the
/// module and the value when it is neither `required` nor `optional`.
pub(super) fn optional_modules(
    registry: &ModuleRegistry,
    config: &dyn ConfigProvider,
) -> Result<Vec<usize>, RegistryError> {
    let mut optional = Vec::new();
    for (m, entry) in registry.modules().iter().enumerate() {
        let Some(value) = config
            .get_module_config(entry.name())
            .and_then(|section| section.get("readiness"))
        else {
            continue;
        };
        let readiness = Readiness::deserialize(value).map_err(|_| {
            RegistryError::InvalidModuleSettings {
                module: entry.name().to_owned(),
                reason: format!(
                    "invalid `modules.{}.readiness`: expected `required` or `optional`, got {value}",
                    entry.name()
                ),
            }
        })?;
        if readiness == Readiness::Optional {
            optional.push(m);
        }
    }
    Ok(optional)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::ModulesConfig;
    use crate::registry::RegistryBuilder;

    struct Empty;

    #[async_trait::async_trait]
    impl crate::Module for Empty {
        async fn init(&self, _ctx: &crate::ModuleCtx) -> anyhow::Result<()> {
            Ok(())
        }
    }

    fn registry() -> ModuleRegistry {
        let mut builder = RegistryBuilder::default();
        for name in ["a", "b"] {
            builder.register_core_with_meta(name, &[], std::sync::Arc::new(Empty));
        }
        builder.build_topo_sorted().unwrap()
    }

    #[test]
    fn only_modules_configured_optional_are_optional() {
        let config = ModulesConfig::new(json!({
            "a": { "readiness": "required" },
            "b": { "readiness": "optional" },
        }));
        assert_eq!(optional_modules(&registry(), &config).unwrap(), [1]);
    }

    #[test]
    fn a_misspelt_readiness_names_the_module_and_the_value() {
        let config = ModulesConfig::new(json!({ "b": { "readiness": "optionnal" } }));
        let error = optional_modules(&registry(), &config)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("modules.b.readiness") && error.contains("optionnal"),
            "{error}"
        );
    }
}
