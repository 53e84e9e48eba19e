//! Cost of the db phase on SQLite: 50 modules with 20 migrations each.
//!
//! Run with: `cargo bench -p modkit --bench db_phase`
//!
//! Each module has its own embedded SQLite file (`<home>/db/<module>.sqlite`, WAL). The
//! numbers are the db phase's duration from the runtime report of `run_migration_phases`
//! (pre_init + db; building the registry and the temp dir are untimed):
//!
//! * `first run` — a fresh home: 1,000 migrations applied, each in its own transaction.
//! * `rerun, new host` — the same home again with a new `DbManager`, as after a restart:
//!   per module, one connection opened and one query reading its history.
//! * `rerun, warm pools` — the same `DbManager` again: per module, one query.
//!   Target: about one query per module, a few ms in all.
//!
//! Prints the minimum and the median of several runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use modkit::config::ModulesConfig;
use modkit::db::{DbManager, DbSettings};
use modkit::registry::{ModuleRegistry, RegistryBuilder};
use modkit::runtime::Phase;
use modkit::{
    CancellationToken, ClientHub, DatabaseCapability, DbOptions, HostRuntime, Migration, Module,
};
use tokio::runtime::Runtime;

/// A module whose `init` does nothing (only the db phase runs here).
struct Noop;

#[modkit::async_trait]
impl Module for Noop {
    async fn init(&self, _: &modkit::ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

const MODULES: usize = 50;
const MIGRATIONS: i64 = 20;

struct Schema {
    migrations: Vec<Migration>,
}

impl DatabaseCapability for Schema {
    fn migrations(&self) -> Vec<Migration> {
        self.migrations.clone()
    }
}

fn migrations() -> Vec<Migration> {
    (1..=MIGRATIONS)
        .map(|v| {
            let sql = if v == 1 {
                "CREATE TABLE items (id INTEGER PRIMARY KEY, v1 INTEGER)".to_owned()
            } else {
                format!("ALTER TABLE items ADD COLUMN v{v} INTEGER; CREATE INDEX items_v{v} ON items (v{v})")
            };
            Migration::sql(v, format!("step {v}"), sql)
        })
        .collect()
}

fn registry(names: &[&'static str], schema: &Arc<Schema>) -> ModuleRegistry {
    let mut builder = RegistryBuilder::default();
    for &name in names {
        builder.register_core_with_meta(name, &[], Arc::new(Noop) as Arc<dyn Module>);
        builder.register_db_with_meta(name, Arc::clone(schema) as Arc<dyn DatabaseCapability>);
    }
    builder.build_topo_sorted().expect("a valid registry")
}

/// One `run_migration_phases`; returns the db phase's duration and the wall time.
fn migrate(
    tokio: &Runtime,
    names: &[&'static str],
    schema: &Arc<Schema>,
    manager: &Arc<DbManager>,
) -> (Duration, Duration) {
    let registry = registry(names, schema);
    tokio.block_on(async {
        let began = Instant::now();
        let runtime = HostRuntime::new(
            registry,
            Arc::new(ModulesConfig::empty()),
            DbOptions::Manager(Arc::clone(manager)),
            Arc::new(ClientHub::new()),
            CancellationToken::new(),
            uuid::Uuid::nil(),
            None,
        );
        let report = runtime.report();
        runtime
            .run_migration_phases()
            .await
            .expect("migrations apply");
        let wall = began.elapsed();
        let db = report
            .snapshot()
            .phases
            .iter()
            .filter(|p| p.phase == Phase::Db)
            .map(|p| p.duration)
            .sum();
        (db, wall)
    })
}

fn manager(home: &Path) -> Arc<DbManager> {
    Arc::new(DbManager::new(
        DbSettings::new(home),
        Arc::new(ModulesConfig::empty()),
    ))
}

fn fresh_home() -> PathBuf {
    std::env::temp_dir().join(format!("modkit-bench-{}", uuid::Uuid::new_v4()))
}

fn report(label: &str, mut samples: Vec<(Duration, Duration)>) {
    samples.sort();
    let (min_db, _) = samples[0];
    let (median_db, median_wall) = samples[samples.len() / 2];
    println!(
        "db_phase/{MODULES}_modules_x_{MIGRATIONS}/{label:<18} db phase: min {:>9.3} ms, median {:>9.3} ms (run_migration_phases wall {:>9.3} ms); {} runs",
        min_db.as_secs_f64() * 1e3,
        median_db.as_secs_f64() * 1e3,
        median_wall.as_secs_f64() * 1e3,
        samples.len(),
    );
}

fn main() {
    // `cargo test --benches` runs bench binaries with `--bench` absent: stay quick then.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let (first_runs, reruns) = if quick { (1, 2) } else { (5, 30) };
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio");
    let names: Vec<&'static str> = (0..MODULES)
        .map(|i| &*format!("module-{i:02}").leak())
        .collect();
    let schema = Arc::new(Schema {
        migrations: migrations(),
    });

    let mut first = Vec::new();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..first_runs {
        let home = fresh_home();
        let writer = manager(&home);
        first.push(migrate(&tokio, &names, &schema, &writer));
        for _ in 0..reruns / first_runs {
            cold.push(migrate(&tokio, &names, &schema, &manager(&home)));
            warm.push(migrate(&tokio, &names, &schema, &writer));
        }
        tokio.block_on(writer.close());
        let _ = std::fs::remove_dir_all(&home);
    }
    report("first run", first);
    report("rerun, new host", cold);
    report("rerun, warm pools", warm);
}
