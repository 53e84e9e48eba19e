//! What ends a child: SIGTERM or SIGINT, or the host going away.

use std::io::Read;

use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

/// Cancels `shutdown` on SIGTERM or SIGINT.
pub(super) fn on_signals(shutdown: &CancellationToken) -> std::io::Result<()> {
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let shutdown = shutdown.clone();
    tokio::spawn(async move {
        let name = tokio::select! {
            _ = terminate.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
            () = shutdown.cancelled() => return,
        };
        tracing::info!(signal = name, "shutting down");
        shutdown.cancel();
    });
    Ok(())
}

/// Cancels `shutdown` when stdin reaches its end: the host holds the other end of the pipe
/// open as long as it lives, so the end means it is gone (even if it was SIGKILLed).
///
/// A plain thread, not a blocking task of the async runtime: the runtime waits for its
/// blocking tasks when it shuts down, and this read only ends with the host.
pub(super) fn on_host_exit(shutdown: &CancellationToken) -> std::io::Result<()> {
    let shutdown = shutdown.clone();
    std::thread::Builder::new()
        .name("modkit-lifeline".to_owned())
        .spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buffer = [0u8; 64];
            // The host writes nothing; whatever arrives is ignored until the end.
            while matches!(stdin.read(&mut buffer), Ok(n) if n > 0) {}
            if !shutdown.is_cancelled() {
                // Cancel first: with the host gone, logging may fail.
                shutdown.cancel();
                tracing::warn!("the host is gone; shutting down");
            }
        })?;
    Ok(())
}
