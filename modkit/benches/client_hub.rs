//! Cost of `ClientHub::get` (which clones the client's `Arc`) and `ClientHub::with` (which
//! borrows it), alone and from two threads at once.
//!
//! Run with: `cargo bench -p modkit --bench client_hub`
//!
//! The `threads` group reports wall time per lookup across all threads (total work over
//! elapsed time), so two threads beat one when their time per lookup is *lower*. Each case
//! does its lookups in freshly spawned threads, timed from a shared start line, so the
//! one-thread baseline pays exactly the same harness overhead as the two-thread cases.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use modkit::ClientHub;

trait UsersApi: Send + Sync {
    fn id(&self) -> u64;
}

trait AuditApi: Send + Sync {
    fn id(&self) -> u64;
}

// Aligned so the two clients' reference counts cannot share a cache line: with small
// adjacent allocations, "distinct types" would really measure false sharing.
#[repr(align(128))]
struct Users;

impl UsersApi for Users {
    fn id(&self) -> u64 {
        1
    }
}

#[repr(align(128))]
struct Audit;

impl AuditApi for Audit {
    fn id(&self) -> u64 {
        2
    }
}

/// A hub holding the two clients under test among a realistic number of others.
fn hub() -> ClientHub {
    let hub = ClientHub::new();
    hub.register::<dyn UsersApi>(Arc::new(Users));
    hub.register::<dyn AuditApi>(Arc::new(Audit));
    macro_rules! filler {
        ($($n:literal)*) => { $( hub.register(Arc::new([0_u8; $n])); )* };
    }
    filler!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30);
    hub
}

/// One thread's lookup loop body.
type Worker = fn(&ClientHub);

fn get_users(hub: &ClientHub) {
    black_box(hub.get::<dyn UsersApi>().map(|users| users.id())).ok();
}

fn get_audit(hub: &ClientHub) {
    black_box(hub.get::<dyn AuditApi>().map(|audit| audit.id())).ok();
}

fn with_users(hub: &ClientHub) {
    black_box(hub.with::<dyn UsersApi, _>(|users| users.id())).ok();
}

/// Splits `iters` lookups across one thread per entry of `workers` and returns the wall
/// time from the common start to the last thread's finish.
fn run_threads(hub: &ClientHub, workers: &[Worker], iters: u64) -> Duration {
    let share = iters / workers.len() as u64;
    let start_line = Barrier::new(workers.len());
    thread::scope(|scope| {
        let handles: Vec<_> = workers
            .iter()
            .map(|&work| {
                let start_line = &start_line;
                scope.spawn(move || {
                    start_line.wait();
                    let start = Instant::now();
                    for _ in 0..share {
                        work(hub);
                    }
                    (start, Instant::now())
                })
            })
            .collect();
        let spans: Vec<_> = handles
            .into_iter()
            .map(|handle| handle.join().expect("bench thread panicked"))
            .collect();
        let first_start = spans.iter().map(|span| span.0).min().expect("a thread");
        let last_end = spans.iter().map(|span| span.1).max().expect("a thread");
        last_end - first_start
    })
}

fn get(c: &mut Criterion) {
    let hub = hub();
    c.bench_function("client_hub/get", |b| {
        // Returning an `Option<u64>` rather than the `Result` keeps the large error type
        // out of the measured loop: criterion copies whatever the closure returns.
        b.iter(|| {
            black_box(&hub)
                .get::<dyn UsersApi>()
                .map(|users| users.id())
                .ok()
        });
    });
    c.bench_function("client_hub/with", |b| {
        b.iter(|| {
            black_box(&hub)
                .with::<dyn UsersApi, _>(|users| users.id())
                .ok()
        });
    });
    c.bench_function("client_hub/try_get_missing", |b| {
        b.iter(|| black_box(&hub).try_get::<String>().is_some());
    });
    // What any `get` returning `Arc<T>` must pay on top of its lookup: the caller's copy
    // of the client is one increment of the shared count and, when dropped, one decrement.
    let users: Arc<dyn UsersApi> = Arc::new(Users);
    c.bench_function("client_hub/floor_arc_clone_and_drop", |b| {
        b.iter(|| Arc::clone(black_box(&users)).id());
    });
}

fn threads(c: &mut Criterion) {
    let hub = hub();
    let mut group = c.benchmark_group("client_hub/threads");
    let cases: [(&str, &[Worker]); 5] = [
        ("1_thread", &[get_users]),
        ("2_threads_same_type", &[get_users, get_users]),
        ("2_threads_distinct_types", &[get_users, get_audit]),
        ("with_1_thread", &[with_users]),
        ("with_2_threads_same_type", &[with_users, with_users]),
    ];
    for (name, workers) in cases {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| run_threads(&hub, workers, iters));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = get, threads
}
criterion_main!(benches);
