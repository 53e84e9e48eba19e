//! Modules declared with `#[modkit::module]` in another crate (the `modkit-tests` fixture
//! library) are found by `ModuleRegistry::discover_and_build()` with no manual
//! registration, with their dependencies and capabilities, one instance per module.

use std::sync::Arc;

use modkit::ModuleRegistry;
use modkit::registry::{RunnableCap, SystemCap};
// Linking the crate is all it takes.
use modkit_tests as _;

#[test]
fn modules_declared_in_a_linked_crate_are_discovered() {
    let registry = ModuleRegistry::discover_and_build().expect("the linked modules fit together");

    let fixture = registry
        .get_module("discovered-fixture")
        .expect("`discovered-fixture` was discovered");
    assert!(fixture.deps().is_empty());
    assert!(fixture.caps().has::<RunnableCap>());
    assert!(!fixture.caps().has::<SystemCap>());

    let dependent = registry
        .get_module("discovered-dependent")
        .expect("`discovered-dependent` was discovered");
    assert_eq!(dependent.deps(), ["discovered-fixture"]);
    assert!(dependent.caps().has::<SystemCap>());

    let position = |name: &str| {
        registry
            .modules()
            .iter()
            .position(|m| m.name() == name)
            .unwrap()
    };
    assert!(position("discovered-fixture") < position("discovered-dependent"));
}

#[test]
fn the_core_and_its_capabilities_are_one_instance() {
    let registry = ModuleRegistry::discover_and_build().unwrap();
    let fixture = registry.get_module("discovered-fixture").unwrap();
    let runnable = fixture.caps().query::<RunnableCap>().unwrap();
    assert_eq!(
        Arc::as_ptr(fixture.core()).cast::<()>(),
        Arc::as_ptr(&runnable).cast::<()>(),
        "`stateful` must be registered on the same Arc as the core"
    );
}
