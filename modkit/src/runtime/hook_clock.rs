//! Where hook timings come from when hooks run one after another.
//!
//! The report times every hook, and reading the clock costs tens of nanoseconds on some
//! virtual machines: two readings were a third of the cost of a no-op hook. When a phase
//! runs its hooks strictly one at a time, the reading that ends one hook also starts the
//! next, so each hook costs one reading. The time the runtime spends between two hooks
//! (a few list updates) is counted in the second one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A chain of hook timings: each hook starts when the one before it finished.
#[derive(Debug)]
pub(crate) struct HookClock {
    base: Instant,
    /// When the last hook finished (or the chain began), in nanoseconds after `base`.
    last: AtomicU64,
}

impl HookClock {
    /// A chain for a phase that runs `concurrency` hooks at once; `None` (read the clock
    /// at both ends of every hook) unless they run one at a time.
    pub(crate) fn for_concurrency(concurrency: usize) -> Option<Self> {
        (concurrency <= 1).then(|| Self {
            base: Instant::now(),
            last: AtomicU64::new(0),
        })
    }

    /// When the next hook starts: when the last one finished.
    pub(crate) fn start(&self) -> Instant {
        self.base + Duration::from_nanos(self.last.load(Ordering::Relaxed))
    }

    /// Reads the clock: the end of this hook and the start of the next.
    pub(crate) fn finish(&self) -> Instant {
        let now = Instant::now();
        let since_base = now.saturating_duration_since(self.base).as_nanos();
        self.last.store(
            u64::try_from(since_base).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        now
    }

    /// When a hook timed on `clock` starts (`None`: now, from the clock).
    pub(crate) fn start_on(clock: Option<&Self>) -> Instant {
        clock.map_or_else(Instant::now, Self::start)
    }

    /// How long a hook timed on `clock` that started at `started` took, ending it.
    pub(crate) fn elapsed_on(clock: Option<&Self>, started: Instant) -> Duration {
        let now = clock.map_or_else(Instant::now, Self::finish);
        now.saturating_duration_since(started)
    }

    /// Restarts the chain now, after work between hooks that is not the runtime's
    /// bookkeeping (draining a module's tasks, say), so the next hook is not charged for it.
    pub(crate) fn restart(&self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hook_starts_when_the_one_before_finished() {
        let clock = HookClock::for_concurrency(1).expect("sequential hooks chain");
        let first_start = clock.start();
        let first_end = clock.finish();
        assert!(first_end >= first_start);
        assert_eq!(
            clock.start(),
            first_end,
            "the next hook starts where this one ended"
        );
        std::thread::sleep(Duration::from_millis(2));
        clock.restart();
        assert!(clock.start() >= first_end + Duration::from_millis(2));
    }

    #[test]
    fn concurrent_hooks_read_the_clock_themselves() {
        assert!(HookClock::for_concurrency(4).is_none());
    }
}
