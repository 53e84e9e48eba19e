//! Constructors for expected [`Event`]s, so that expectations read as the lifecycle does:
//! `log.assert_order(&[init("a"), init("b"), start("b")])`.

use crate::event_log::{Event, Hook, Step};

/// `module`'s hook was called.
pub fn called(module: &'static str, hook: Hook) -> Event {
    Event {
        module,
        step: Step::Called(hook),
    }
}

/// `module`'s `pre_init` was called.
pub fn pre_init(module: &'static str) -> Event {
    called(module, Hook::PreInit)
}

/// `module`'s `init` was called.
pub fn init(module: &'static str) -> Event {
    called(module, Hook::Init)
}

/// `module`'s `post_init` was called.
pub fn post_init(module: &'static str) -> Event {
    called(module, Hook::PostInit)
}

/// `module`'s `start` was called.
pub fn start(module: &'static str) -> Event {
    called(module, Hook::Start)
}

/// `module`'s `stop` was called.
pub fn stop(module: &'static str) -> Event {
    called(module, Hook::Stop)
}

/// `module`'s task `task` ended (finished, or was aborted and dropped).
pub fn task_ended(module: &'static str, task: &'static str) -> Event {
    Event {
        module,
        step: Step::TaskEnded(task),
    }
}

/// A test-defined step of `module`.
pub fn mark(module: &'static str, label: &'static str) -> Event {
    Event {
        module,
        step: Step::Mark(label),
    }
}
