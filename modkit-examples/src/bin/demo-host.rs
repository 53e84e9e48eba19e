//! The demo host: every example module, run until Ctrl-C or SIGTERM.
//!
//! Run with: cargo run -p modkit-examples --bin demo-host

use std::sync::Arc;

use modkit::config::ModulesConfig;
use modkit::{CancellationToken, ClientHub, DbOptions, HostRuntime, ModuleRegistry};
use tracing_subscriber::EnvFilter;

// Linking the crate is what registers its modules.
use modkit_examples as _;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    let registry = ModuleRegistry::discover_and_build()?;
    let config = ModulesConfig::new(serde_json::json!({
        "ticker": { "config": { "interval_ms": 1000 } },
        "audit": { "config": { "capacity": 50 } },
        "api-gateway": { "config": { "bind_addr": "127.0.0.1:8080", "title": "modkit demo" } },
    }));
    let cancel = CancellationToken::new();
    tokio::spawn(cancel_on_signal(cancel.clone()));

    HostRuntime::new(
        registry,
        Arc::new(config),
        DbOptions::None,
        Arc::new(ClientHub::new()),
        cancel,
        uuid::Uuid::new_v4(),
        None,
    )
    .run_module_phases()
    .await?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Cancels the host on Ctrl-C or SIGTERM; a second signal exits at once.
async fn cancel_on_signal(cancel: CancellationToken) {
    wait_for_signal().await;
    tracing::info!("signal received; stopping (send it again to exit at once)");
    cancel.cancel();
    wait_for_signal().await;
    std::process::exit(130);
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot watch SIGTERM; only Ctrl-C stops the host");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
