//! A host that spawns one `oop-test-child` (the binary given as its first argument) through
//! a `LocalProcessBackend`, prints `child-pid <pid>` once the child runs, and waits to be
//! killed.

use std::sync::Arc;
use std::time::Duration;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let binary = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: oop-test-host <path of oop-test-child>"))?;
    let modules = ModulesConfig::new(serde_json::json!({
        "probe": { "runtime": { "type": "oop", "execution": { "binary": binary } } }
    }));
    let backend = LocalProcessBackend::new(Arc::new(modules), "host-secret");
    modkit_tests::spawn_detached(&backend, "probe").await?;
    let pid = backend
        .pid("probe")
        .ok_or_else(|| anyhow::anyhow!("the child is not running"))?;
    println!("child-pid {pid}");
    tokio::time::sleep(Duration::from_secs(600)).await;
    Ok(())
}
