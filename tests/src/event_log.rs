//! The shared record of what modules did, in the order they did it.

use std::fmt;
use std::sync::Arc;

use tokio::sync::watch;

use crate::within;

/// A lifecycle hook a [`RecordingModule`](crate::RecordingModule) records.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hook {
    /// [`SystemCapability::pre_init`](modkit::SystemCapability::pre_init).
    PreInit,
    /// [`Module::init`](modkit::Module::init).
    Init,
    /// [`SystemCapability::post_init`](modkit::SystemCapability::post_init).
    PostInit,
    /// [`RunnableCapability::start`](modkit::RunnableCapability::start).
    Start,
    /// [`RunnableCapability::stop`](modkit::RunnableCapability::stop).
    Stop,
}

impl Hook {
    /// The snake_case name the runtime uses for the hook's phase.
    pub fn as_str(self) -> &'static str {
        match self {
            Hook::PreInit => "pre_init",
            Hook::Init => "init",
            Hook::PostInit => "post_init",
            Hook::Start => "start",
            Hook::Stop => "stop",
        }
    }
}

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to a module.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The runtime called the hook.
    Called(Hook),
    /// The hook returned `Ok(())` (a hook that fails, panics or never returns has no
    /// `Returned` step).
    Returned(Hook),
    /// A task the module spawned ended: it finished, or it was aborted and dropped.
    TaskEnded(&'static str),
    /// A test-defined step (`mark("server", "listening")`).
    Mark(&'static str),
}

/// One entry of an [`EventLog`]: `module` did `step`.
///
/// Build expectations with [`pre_init`](crate::pre_init), [`init`](crate::init),
/// [`post_init`](crate::post_init), [`start`](crate::start), [`stop`](crate::stop),
/// [`task_ended`](crate::task_ended) and [`mark`](crate::mark); `init("a").returned()` is the
/// moment `a`'s init returned.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event {
    /// The module.
    pub module: &'static str,
    /// What it did.
    pub step: Step,
}

impl Event {
    /// The event of this hook returning `Ok(())`, for an event built by a hook's constructor.
    ///
    /// # Panics
    /// If the event is not a hook call.
    pub fn returned(self) -> Self {
        match self.step {
            Step::Called(hook) => Self {
                module: self.module,
                step: Step::Returned(hook),
            },
            other => panic!("only a hook call can return, not {other:?}"),
        }
    }

    /// Whether this is a call of a hook.
    pub fn is_call(&self) -> bool {
        matches!(self.step, Step::Called(_))
    }
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Called(hook) => write!(f, "{hook:?}"),
            Step::Returned(hook) => write!(f, "{hook:?} returned"),
            Step::TaskEnded(task) => write!(f, "task `{task}` ended"),
            Step::Mark(label) => write!(f, "mark `{label}`"),
        }
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Step::Called(hook) => write!(f, "{hook:?}({})", self.module),
            Step::Returned(hook) => write!(f, "{hook:?}({}) returned", self.module),
            Step::TaskEnded(task) => write!(f, "task `{task}` of {} ended", self.module),
            Step::Mark(label) => write!(f, "{}: {label}", self.module),
        }
    }
}

/// A thread-safe, append-only log of [`Event`]s shared by every module of a test.
///
/// Cheap to clone; clones share one log.
///
/// ```
/// use modkit_tests::{EventLog, init, start};
///
/// let log = EventLog::new();
/// log.record(init("a"));
/// log.record(init("a").returned());
/// log.record(start("a"));
/// log.assert_order(&[init("a"), start("a")]);
/// log.assert_subsequence(&[init("a").returned(), start("a")]);
/// ```
#[derive(Clone, Default)]
pub struct EventLog {
    events: Arc<watch::Sender<Vec<Event>>>,
}

impl EventLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `event`.
    pub fn record(&self, event: Event) {
        self.events.send_modify(|events| events.push(event));
    }

    /// Every event so far, in order.
    pub fn events(&self) -> Vec<Event> {
        self.events.borrow().clone()
    }

    /// The hook calls so far, in order (no `returned`, task or mark events).
    pub fn calls(&self) -> Vec<Event> {
        self.events
            .borrow()
            .iter()
            .copied()
            .filter(Event::is_call)
            .collect()
    }

    /// The modules whose `hook` was called, in call order.
    pub fn modules_called(&self, hook: Hook) -> Vec<&'static str> {
        self.events
            .borrow()
            .iter()
            .filter(|event| event.step == Step::Called(hook))
            .map(|event| event.module)
            .collect()
    }

    /// Where `event` first occurs in [`events`](Self::events).
    pub fn position(&self, event: Event) -> Option<usize> {
        self.events.borrow().iter().position(|e| *e == event)
    }

    /// Whether `event` occurred.
    pub fn contains(&self, event: Event) -> bool {
        self.position(event).is_some()
    }

    /// Asserts that the hook calls were exactly `expected`, in that order.
    #[track_caller]
    pub fn assert_order(&self, expected: &[Event]) {
        let calls = self.calls();
        assert_eq!(
            calls,
            expected,
            "hook calls differ from the expected order\nfull log: {:?}",
            self.events()
        );
    }

    /// Asserts that `expected` occurred in this order, other events allowed in between.
    #[track_caller]
    pub fn assert_subsequence(&self, expected: &[Event]) {
        let events = self.events();
        let mut rest = events.iter();
        for (i, wanted) in expected.iter().enumerate() {
            if !rest.any(|event| event == wanted) {
                panic!(
                    "expected {wanted:?} (item {i} of {expected:?}) after the ones before it\nfull log: {events:?}"
                );
            }
        }
    }

    /// Asserts that `first` occurred, and before `then` if `then` occurred at all.
    #[track_caller]
    pub fn assert_before(&self, first: Event, then: Event) {
        let events = self.events();
        let Some(a) = events.iter().position(|e| *e == first) else {
            panic!("expected {first:?} to occur\nfull log: {events:?}");
        };
        if let Some(b) = events.iter().position(|e| *e == then) {
            assert!(
                a < b,
                "expected {first:?} before {then:?}\nfull log: {events:?}"
            );
        }
    }

    /// Asserts that `event` never occurred.
    #[track_caller]
    pub fn assert_absent(&self, event: Event) {
        let events = self.events();
        assert!(
            !events.contains(&event),
            "expected no {event:?}\nfull log: {events:?}"
        );
    }

    /// Waits (bounded by [`PATIENCE`](crate::PATIENCE)) until `event` occurs.
    ///
    /// # Panics
    /// If it does not occur in time.
    pub async fn wait_for(&self, event: Event) {
        let mut events = self.events.subscribe();
        within(&format!("waiting for {event:?}"), async {
            // The sender lives as long as `self`, so this cannot fail while we wait.
            let _ = events.wait_for(|events| events.contains(&event)).await;
        })
        .await;
    }
}

impl fmt::Debug for EventLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.events.borrow().iter()).finish()
    }
}
