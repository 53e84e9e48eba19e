//! The etcd directory's local view with 1,000 registered instances of 50 modules: how much
//! memory the view holds, and what resolving a service costs (target: under 1 µs, no
//! allocation).
//!
//! Run with: `cargo bench -p modkit --features etcd --bench directory_view`
//!
//! A counting allocator measures the bytes the view keeps (allocated while it is built
//! minus freed, with the records it was built from dropped) and the allocations made while
//! resolving; both are printed before criterion's timings.
#![expect(unsafe_code, reason = "a counting global allocator wraps the system's")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use modkit::directory::DirectoryView;
use modkit::directory::etcd::{EtcdView, InstanceRecord};

const MODULES: usize = 50;
const INSTANCES_PER_MODULE: usize = 20;

struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn service(module: usize) -> String {
    format!("modkit.bench.module{module}.v1.Service")
}

/// The view, and the bytes it holds.
fn view() -> (EtcdView, isize) {
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let view = {
        let names: Vec<(String, String, InstanceRecord)> = (0..MODULES)
            .flat_map(|module| {
                (0..INSTANCES_PER_MODULE).map(move |instance| {
                    (
                        format!("module-{module}"),
                        uuid::Uuid::new_v4().to_string(),
                        InstanceRecord {
                            services: vec![service(module)],
                            endpoint: format!("http://10.0.{module}.{instance}:50051"),
                            host_id: uuid::Uuid::new_v4().to_string(),
                            version: "0.1.0".to_owned(),
                            started_at_ms: 1_767_225_600_000,
                        },
                    )
                })
            })
            .collect();
        EtcdView::from_records(
            "/modkit",
            names.iter().map(|(m, i, r)| (m.as_str(), i.as_str(), r)),
        )
    };
    (view, LIVE_BYTES.load(Ordering::Relaxed) - before)
}

fn resolve(c: &mut Criterion) {
    let (view, bytes) = view();
    assert_eq!(
        view.instance_count(),
        (MODULES * INSTANCES_PER_MODULE) as u64
    );
    let wanted = service(MODULES / 2);
    let missing = "modkit.bench.nobody.v1.Service";
    let rounds = 1_000_000;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..rounds {
        black_box(view.resolve(black_box(&wanted)));
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    println!(
        "directory_view: {} instances of {MODULES} modules hold {bytes} bytes ({} bytes per instance); {allocations} allocations in {rounds} resolves",
        view.instance_count(),
        bytes / (MODULES * INSTANCES_PER_MODULE) as isize,
    );
    let mut group = c.benchmark_group("directory_view");
    group.bench_function("resolve_1000_instances_of_50_modules", |b| {
        b.iter(|| view.resolve(black_box(&wanted)));
    });
    group.bench_function("resolve_unknown_service", |b| {
        b.iter(|| view.resolve(black_box(missing)));
    });
    group.finish();
}

criterion_group!(benches, resolve);
criterion_main!(benches);
