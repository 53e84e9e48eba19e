use std::fmt;
use std::sync::Arc;

use crate::oop::OopBackend;

/// Which modules run out of process, and what starts them.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use modkit::oop::{OopBackend, OopSpawnRequest};
/// use modkit::runtime::OopSpawnOptions;
///
/// struct Nothing;
///
/// #[modkit::async_trait]
/// impl OopBackend for Nothing {
///     async fn spawn(&self, _request: OopSpawnRequest) -> anyhow::Result<()> {
///         Ok(())
///     }
///     async fn stop_all(&self, _grace: Duration) {}
/// }
///
/// let options = OopSpawnOptions {
///     modules: vec!["calculator".to_owned()],
///     backend: Arc::new(Nothing),
/// };
/// assert_eq!(format!("{options:?}"), r#"OopSpawnOptions { modules: ["calculator"], .. }"#);
/// ```
#[derive(Clone)]
pub struct OopSpawnOptions {
    /// Names of the modules configured with `runtime.type: oop`
    /// (see [`configured_oop_modules`](crate::oop::configured_oop_modules)).
    pub modules: Vec<String>,
    /// Starts, supervises and ends their children.
    pub backend: Arc<dyn OopBackend>,
}

impl fmt::Debug for OopSpawnOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OopSpawnOptions")
            .field("modules", &self.modules)
            .finish_non_exhaustive()
    }
}
