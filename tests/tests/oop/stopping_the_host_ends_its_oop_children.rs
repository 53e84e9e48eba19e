use std::sync::Arc;

use modkit::backends::LocalProcessBackend;
use modkit::config::ModulesConfig;
use modkit::registry::RegistryBuilder;
use modkit::runtime::{ModuleState, OopSpawnOptions};
use modkit_tests::{OopStandIn, StubDirectoryHub, TestHost, oop_section, process_is_gone};
use serde_json::json;

const CHILD: &str = env!("CARGO_BIN_EXE_oop-test-child");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_the_host_ends_its_oop_children() {
    let names = ["probe-a", "probe-b", "probe-c"];
    let mut sections = serde_json::Map::new();
    for name in names {
        sections.insert(name.to_owned(), oop_section(CHILD, &[], json!(null)));
    }
    let modules = ModulesConfig::new(sections.into());
    let backend = LocalProcessBackend::new(Arc::new(modules.clone()), "secret");
    let mut builder = RegistryBuilder::default();
    StubDirectoryHub::register(&mut builder);
    for name in names {
        OopStandIn::register(name, &mut builder);
    }
    let host = TestHost::new(builder)
        .config(modules)
        .oop(OopSpawnOptions {
            modules: names.iter().map(|name| (*name).to_owned()).collect(),
            backend: Arc::new(backend.clone()),
        })
        .spawn();
    assert!(host.wait_ready().await, "{:#?}", host.report().snapshot());
    let pids: Vec<u32> = names
        .iter()
        .map(|name| backend.pid(name).expect("each child runs"))
        .collect();
    assert!(pids.iter().all(|&pid| !process_is_gone(pid)));

    let report = host.report().clone();
    host.shut_down().await.result.unwrap();

    // Stopping waited for the children: they are gone when it returns.
    for (name, pid) in names.iter().zip(&pids) {
        assert!(process_is_gone(*pid), "`{name}`'s child {pid} survived");
        assert_eq!(report.module_state(name), Some(ModuleState::Stopped));
    }
}
