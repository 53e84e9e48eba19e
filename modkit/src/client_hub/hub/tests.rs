use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use super::*;

trait UsersApi: Send + Sync {
    fn name(&self) -> &str;
}

struct Users(&'static str);

impl UsersApi for Users {
    fn name(&self) -> &str {
        self.0
    }
}

trait Plugin: Send + Sync {
    fn id(&self) -> u32;
}

struct NumberedPlugin(u32);

impl Plugin for NumberedPlugin {
    fn id(&self) -> u32 {
        self.0
    }
}

fn scope(name: &'static str) -> ClientScope {
    ClientScope::from(name)
}

#[test]
fn registered_trait_object_is_returned_by_get() {
    let hub = ClientHub::new();
    let users: Arc<dyn UsersApi> = Arc::new(Users("alice"));
    hub.register::<dyn UsersApi>(users.clone());

    let found = hub.get::<dyn UsersApi>().expect("registered");
    assert!(Arc::ptr_eq(&found, &users));
    assert_eq!(found.name(), "alice");
    assert!(hub.try_get::<dyn UsersApi>().is_some());
}

#[test]
fn missing_client_error_names_the_type_and_the_fix() {
    let error = ClientHub::new()
        .get::<dyn UsersApi>()
        .err()
        .expect("nothing registered");
    let name = type_name::<dyn UsersApi>();
    assert_eq!(error, ClientHubError::NotFound { type_name: name });
    assert_eq!(
        error.to_string(),
        format!(
            "no client registered for `{name}`; register one in the providing module's \
             init with `ctx.client_hub().register::<{name}>(..)`"
        )
    );
    assert!(name.ends_with("UsersApi"), "{name}");
}

#[test]
fn register_replaces_the_previous_client() {
    let hub = ClientHub::new();
    hub.register::<dyn UsersApi>(Arc::new(Users("old")));
    let held = hub.get::<dyn UsersApi>().unwrap();
    hub.register::<dyn UsersApi>(Arc::new(Users("new")));

    assert_eq!(hub.get::<dyn UsersApi>().unwrap().name(), "new");
    assert_eq!(
        held.name(),
        "old",
        "a caller keeps the client it already got"
    );
}

#[test]
fn remove_returns_the_client_and_forgets_it() {
    let hub = ClientHub::new();
    hub.register::<dyn UsersApi>(Arc::new(Users("alice")));

    assert_eq!(hub.remove::<dyn UsersApi>().unwrap().name(), "alice");
    assert!(hub.try_get::<dyn UsersApi>().is_none());
    assert!(hub.remove::<dyn UsersApi>().is_none());
}

#[test]
fn sized_types_work_too() {
    let hub = ClientHub::new();
    hub.register(Arc::new(String::from("value")));
    hub.register(Arc::new(7_u64));

    assert_eq!(*hub.get::<String>().unwrap(), "value");
    assert_eq!(*hub.get::<u64>().unwrap(), 7);
    assert!(hub.try_get::<u32>().is_none());
}

#[test]
fn scoped_clients_are_registered_listed_and_removed_per_scope() {
    let hub = ClientHub::new();
    hub.register_scoped::<dyn Plugin>("b", Arc::new(NumberedPlugin(2)));
    hub.register_scoped::<dyn Plugin>(String::from("a"), Arc::new(NumberedPlugin(1)));
    hub.register_scoped::<dyn Plugin>(ClientScope::new("c"), Arc::new(NumberedPlugin(3)));

    assert_eq!(
        hub.scopes::<dyn Plugin>(),
        [scope("a"), scope("b"), scope("c")]
    );
    assert_eq!(hub.get_scoped::<dyn Plugin>(&scope("b")).unwrap().id(), 2);

    hub.register_scoped::<dyn Plugin>("b", Arc::new(NumberedPlugin(20)));
    assert_eq!(hub.get_scoped::<dyn Plugin>(&scope("b")).unwrap().id(), 20);

    assert_eq!(
        hub.remove_scoped::<dyn Plugin>(&scope("b")).unwrap().id(),
        20
    );
    assert!(hub.try_get_scoped::<dyn Plugin>(&scope("b")).is_none());
    assert!(hub.remove_scoped::<dyn Plugin>(&scope("b")).is_none());
    assert_eq!(hub.scopes::<dyn Plugin>(), [scope("a"), scope("c")]);
    assert!(hub.scopes::<dyn UsersApi>().is_empty());
}

#[test]
fn missing_scoped_client_error_names_the_type_and_the_scope() {
    let hub = ClientHub::new();
    hub.register_scoped::<dyn Plugin>("a", Arc::new(NumberedPlugin(1)));

    let error = hub
        .get_scoped::<dyn Plugin>(&scope("z"))
        .err()
        .expect("no scope z");
    let name = type_name::<dyn Plugin>();
    assert_eq!(
        error,
        ClientHubError::ScopedNotFound {
            type_name: name,
            scope: scope("z")
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "no client registered for `{name}` in scope `z`; register one in the providing \
             module's init with `ctx.client_hub().register_scoped::<{name}>(\"z\", ..)`"
        )
    );
}

#[test]
fn a_scoped_client_does_not_satisfy_an_unscoped_get_nor_the_reverse() {
    let hub = ClientHub::new();
    hub.register_scoped::<dyn Plugin>("a", Arc::new(NumberedPlugin(1)));
    assert!(matches!(
        hub.get::<dyn Plugin>(),
        Err(ClientHubError::NotFound { .. })
    ));

    hub.register::<dyn Plugin>(Arc::new(NumberedPlugin(0)));
    assert!(hub.try_get_scoped::<dyn Plugin>(&scope("b")).is_none());
    assert_eq!(hub.get::<dyn Plugin>().unwrap().id(), 0);
    assert_eq!(hub.get_scoped::<dyn Plugin>(&scope("a")).unwrap().id(), 1);
}

#[test]
fn debug_lists_type_names_and_scopes() {
    let hub = ClientHub::default();
    hub.register::<dyn UsersApi>(Arc::new(Users("alice")));
    hub.register_scoped::<dyn Plugin>("b", Arc::new(NumberedPlugin(2)));
    hub.register_scoped::<dyn Plugin>("a", Arc::new(NumberedPlugin(1)));

    let users = type_name::<dyn UsersApi>();
    let plugin = type_name::<dyn Plugin>();
    assert_eq!(
        format!("{hub:?}"),
        format!(r#"ClientHub {{ clients: ["{users}"], scoped: {{"{plugin}": ["a", "b"]}} }}"#)
    );
}

#[test]
fn a_panicking_writer_leaves_the_hub_usable() {
    let hub = ClientHub::new();
    hub.register(Arc::new(1_u8));
    let panicked = thread::scope(|s| {
        s.spawn(|| hub.update(|_| panic!("writer fails mid-edit")))
            .join()
            .is_err()
    });
    assert!(panicked);

    assert_eq!(*hub.get::<u8>().unwrap(), 1);
    hub.register(Arc::new(2_u8));
    assert_eq!(*hub.get::<u8>().unwrap(), 2);
}

#[test]
fn a_replaced_client_may_use_the_hub_while_it_drops() {
    struct Reentrant(Arc<ClientHub>);
    impl Drop for Reentrant {
        fn drop(&mut self) {
            self.0.register(Arc::new("dropped"));
        }
    }

    let hub = Arc::new(ClientHub::new());
    hub.register(Arc::new(Reentrant(hub.clone())));
    assert!(hub.remove::<Reentrant>().is_some());
    assert_eq!(*hub.get::<&str>().unwrap(), "dropped");
}

/// The writer registers generation `n` of `First`, then of `Second`. A reader that sees
/// generation `n` of `Second` must then see at least `n` of `First`, every lookup must
/// succeed, and generations must never go backwards.
#[test]
fn concurrent_readers_never_see_a_torn_state() {
    const GENERATIONS: u64 = 2_000;
    struct First(u64);
    struct Second(u64);

    let hub = ClientHub::new();
    hub.register(Arc::new(First(0)));
    hub.register(Arc::new(Second(0)));
    hub.register_scoped("fixed", Arc::new(First(0)));
    let done = AtomicBool::new(false);

    thread::scope(|s| {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let (mut last, mut reads) = (0, 0_u64);
                    // Bounded: the writer finishes after GENERATIONS rounds. Reading
                    // once more after seeing `done` must find the last generation.
                    loop {
                        let finished = done.load(Ordering::Acquire);
                        let second = hub.get::<Second>().expect("always registered").0;
                        let first = hub.get::<First>().expect("always registered").0;
                        assert!(first >= second, "first {first} behind second {second}");
                        assert!(second >= last, "went back from {last} to {second}");
                        last = second;

                        let scopes = hub.scopes::<First>();
                        assert!(scopes.is_sorted(), "{scopes:?}");
                        assert!(scopes.contains(&scope("fixed")), "{scopes:?}");
                        assert!(hub.try_get_scoped::<First>(&scope("fixed")).is_some());
                        reads += 1;
                        if finished && reads >= 100 {
                            break last;
                        }
                    }
                })
            })
            .collect();

        for n in 1..=GENERATIONS {
            hub.register(Arc::new(First(n)));
            hub.register(Arc::new(Second(n)));
            let name = ClientScope::new(format!("gen-{}", n % 7));
            hub.register_scoped(name.clone(), Arc::new(First(n)));
            if n % 2 == 0 {
                hub.remove_scoped::<First>(&name);
            }
        }
        done.store(true, Ordering::Release);

        for reader in readers {
            assert_eq!(reader.join().expect("reader panicked"), GENERATIONS);
        }
    });
}

#[test]
fn with_borrows_the_client_without_cloning_it() {
    let hub = ClientHub::new();
    let mine: Arc<str> = Arc::from("borrowed");
    hub.register::<str>(Arc::clone(&mine));
    let (len, count_inside) = hub
        .with(|name: &str| (name.len(), Arc::strong_count(&mine)))
        .unwrap();
    assert_eq!(len, 8);
    // The hub's reference and `mine`: `with` took none of its own.
    assert_eq!(count_inside, 2);

    let missing = hub.with(|n: &u64| *n).unwrap_err();
    assert!(missing.to_string().contains("u64"), "{missing}");
}
