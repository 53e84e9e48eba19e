//! SIGINT and SIGTERM end the host.

use tokio_util::sync::CancellationToken;

/// Cancels `cancel` on the first SIGINT or SIGTERM; a second signal exits at once with
/// status 130.
pub(crate) async fn cancel_on_signal(cancel: CancellationToken) {
    wait_for_signal().await;
    tracing::info!("signal received; stopping (send it again to exit at once)");
    cancel.cancel();
    wait_for_signal().await;
    tracing::warn!("second signal; exiting without waiting for modules to stop");
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
