//! Migrates modules `m1` … `m<count>` (two tables each) in the embedded SQLite files of home
//! dir `<home>`, all at once, as a host's `migrate` would; prints the versions it applied as
//! JSON (`{"m1": [1, 2], ...}`), or the first error and exits with status 1.
//!
//! Usage: `db-migrate <home> <count>`

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::future::join_all;
use modkit::config::ModulesConfig;
use modkit::db::{DbManager, DbSettings};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(home), Some(count)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: db-migrate <home> <count>");
    };
    let count: usize = count.parse()?;
    let manager = DbManager::new(DbSettings::new(&home), Arc::new(ModulesConfig::empty()));
    let migrations = modkit_tests::table_migrations(2);
    let modules: Vec<String> = (1..=count).map(|n| format!("m{n}")).collect();
    let results = join_all(
        modules
            .iter()
            .map(|module| manager.migrate(module, &migrations)),
    )
    .await;
    manager.close().await;
    let mut applied = BTreeMap::new();
    for (module, result) in modules.iter().zip(results) {
        match result {
            Ok(versions) => applied.insert(module.clone(), versions),
            Err(error) => {
                eprintln!("{error}");
                std::process::exit(1);
            }
        };
    }
    println!("{}", serde_json::to_string(&applied)?);
    Ok(())
}
