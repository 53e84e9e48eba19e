use serde_json::Value;

use super::ConfigProvider;

/// A [`ConfigProvider`] over a JSON object of module sections, keyed by module name.
///
/// ```
/// use modkit::config::{ConfigProvider, ModulesConfig};
///
/// let modules = ModulesConfig::new(serde_json::json!({
///     "users": { "config": { "page_size": 50 } }
/// }));
/// assert_eq!(modules.get_module_config("users").unwrap()["config"]["page_size"], 50);
/// assert!(modules.get_module_config("audit").is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct ModulesConfig {
    modules: serde_json::Map<String, Value>,
}

impl ModulesConfig {
    /// Sections from `modules` (a JSON object; anything else configures nothing).
    pub fn new(modules: Value) -> Self {
        match modules {
            Value::Object(modules) => Self { modules },
            _ => Self::default(),
        }
    }

    /// No module configured.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Sets module `name`'s `config` key (the part `ctx.config::<T>()` reads).
    pub fn with_module_config(mut self, name: &str, config: Value) -> Self {
        self.section(name).insert("config".to_owned(), config);
        self
    }

    /// Sets module `name`'s `runtime` key (deadline overrides).
    pub fn with_module_runtime(mut self, name: &str, runtime: Value) -> Self {
        self.section(name).insert("runtime".to_owned(), runtime);
        self
    }

    /// Sets module `name`'s `database` key (where its database is; see
    /// `modkit::db::ModuleDbSettings`).
    pub fn with_module_database(mut self, name: &str, database: Value) -> Self {
        self.section(name).insert("database".to_owned(), database);
        self
    }

    fn section(&mut self, name: &str) -> &mut serde_json::Map<String, Value> {
        let section = self
            .modules
            .entry(name.to_owned())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if !section.is_object() {
            *section = Value::Object(serde_json::Map::new());
        }
        section.as_object_mut().expect("just made an object")
    }
}

impl ConfigProvider for ModulesConfig {
    fn get_module_config(&self, module: &str) -> Option<&Value> {
        self.modules.get(module)
    }
}
