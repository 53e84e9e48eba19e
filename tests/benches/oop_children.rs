//! Spawn-to-running and stop times of out-of-process children, spawned and stopped side by
//! side through a `LocalProcessBackend`. Prints figures; asserts nothing.
//!
//! `cargo bench -p modkit-tests --bench oop_children [-- <children> <rounds>]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::try_join_all;
use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::oop::OopBackend;
use modkit_tests::spawn_detached;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1).filter(|arg| !arg.starts_with('-'));
    let children: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(4);
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut spawn_times = Vec::with_capacity(rounds);
    let mut stop_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let (spawned, stopped) = runtime.block_on(round(children))?;
        spawn_times.push(spawned);
        stop_times.push(stopped);
    }
    println!("{children} children in parallel, {rounds} rounds");
    print_stats("spawn -> all running", &mut spawn_times);
    print_stats("stop_all (SIGTERM) -> all exited", &mut stop_times);
    Ok(())
}

async fn round(children: usize) -> anyhow::Result<(Duration, Duration)> {
    let names: Vec<&'static str> = (0..children)
        .map(|i| &*Box::leak(format!("probe-{i}").into_boxed_str()))
        .collect();
    let modules: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|name| {
            let section = serde_json::json!({
                "runtime": { "type": "oop", "execution": { "binary": CHILD } }
            });
            ((*name).to_owned(), section)
        })
        .collect();
    let backend =
        LocalProcessBackend::new(Arc::new(ModulesConfig::new(modules.into())), "bench-secret");
    let began = Instant::now();
    try_join_all(names.iter().map(|name| spawn_detached(&backend, name))).await?;
    let spawned = began.elapsed();
    for name in &names {
        anyhow::ensure!(backend.endpoint(name).is_some(), "`{name}` is not running");
    }
    let began = Instant::now();
    backend.stop_all(Duration::from_secs(10)).await;
    Ok((spawned, began.elapsed()))
}

fn print_stats(what: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what:<36} min {:>8.2?}  median {:>8.2?}  p90 {:>8.2?}  max {:>8.2?}",
        at(0.0),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}
