//! What the benches share: a registry with the gRPC hub and the calculator, callers making
//! calls back to back, and the figures they give.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use modkit::grpc_hub::GrpcHub;
use modkit::registry::RegistryBuilder;
use modkit_examples::calculator::Calculator;

/// A registry holding `grpc-hub` and `calculator`; returns the hub.
pub(crate) fn hub_and_calculator() -> (RegistryBuilder, Arc<GrpcHub>) {
    let mut builder = RegistryBuilder::default();
    let hub = Arc::new(GrpcHub::default());
    builder.register_core_with_meta("grpc-hub", &[], hub.clone());
    builder.register_system_with_meta("grpc-hub", hub.clone());
    builder.register_stateful_with_meta("grpc-hub", hub.clone());
    builder.register_grpc_hub_with_meta("grpc-hub", hub.clone());
    let calculator = Arc::new(Calculator::default());
    builder.register_core_with_meta("calculator", &[], calculator.clone());
    builder.register_grpc_service_with_meta("calculator", calculator);
    (builder, hub)
}

/// Throughput and latency of one measured round.
pub(crate) struct Figures {
    /// Calls completed while measuring.
    pub(crate) calls: usize,
    /// `calls` over the measured time.
    pub(crate) per_second: f64,
    pub(crate) p50: Duration,
    pub(crate) p99: Duration,
}

/// `callers` tasks each making `call()` back to back: untimed for `warm_up`, then timed
/// for `length`.
pub(crate) async fn measure<F, Fut>(
    callers: usize,
    warm_up: Duration,
    length: Duration,
    call: F,
) -> Figures
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let warm_until = Instant::now() + warm_up;
    let measure_until = warm_until + length;
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(1 << 15);
                loop {
                    let began = Instant::now();
                    if began >= measure_until {
                        break latencies;
                    }
                    call().await;
                    if began >= warm_until {
                        latencies.push(began.elapsed());
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a caller finished"));
    }
    latencies.sort_unstable();
    let at = |q: f64| {
        let last = latencies.len().saturating_sub(1);
        latencies
            .get((last as f64 * q) as usize)
            .copied()
            .unwrap_or_default()
    };
    Figures {
        calls: latencies.len(),
        per_second: latencies.len() as f64 / length.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    }
}
