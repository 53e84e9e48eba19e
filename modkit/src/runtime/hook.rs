//! Running one module hook: its panic caught, its deadline kept, its time measured.

use std::any::Any;
use std::convert::Infallible;
use std::fmt;
use std::future::{Future, poll_fn};
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use tokio_util::sync::CancellationToken;

use crate::base::Phase;

pub(crate) use crate::base::{HookFailure, panic_message};
pub use crate::base::{HookPanicked, HookTimedOut};

/// Where a hook may be cut short, and who watches it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HookLimits<'a> {
    /// Fail with [`HookTimedOut`] after this long.
    pub(crate) deadline: Option<Duration>,
    /// Drop the hook with [`HookFailure::Cancelled`] once this fires.
    pub(crate) abandon_on: Option<&'a CancellationToken>,
    /// Told when the hook ends, and, if it does not finish at once, that it runs and stalls.
    pub(crate) watch: Option<HookWatch<'a>>,
}

/// Who hears about hooks: the report shows a hook in progress, the log warns of a stall.
///
/// Only a hook that does not finish on its first poll is reported running: most hooks
/// finish at once, and those cost the observer one `finished` call.
pub(crate) trait HookObserver: Sync {
    /// The hook did not finish on its first poll; it began at `began`.
    fn running(&self, module: u32, phase: Phase, began: Instant);
    /// The hook has been running for `running_for`, past the stall warning.
    fn stalled(&self, module: u32, phase: Phase, running_for: Duration);
    /// A hook reported running ended, however (finished, failed, timed out or dropped).
    fn ended(&self, module: u32, phase: Phase);
    /// The hook finished (successfully or not); it was not dropped.
    fn finished(&self, module: u32, phase: Phase);
}

/// One hook as its observer knows it.
#[derive(Clone, Copy)]
pub(crate) struct HookWatch<'a> {
    pub(crate) observer: &'a dyn HookObserver,
    pub(crate) module: u32,
    pub(crate) phase: Phase,
    /// Warn of a stall after this long, and again at each multiple; `None`: never.
    pub(crate) stall_warning: Option<Duration>,
}

impl fmt::Debug for HookWatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookWatch")
            .field("module", &self.module)
            .field("phase", &self.phase)
            .field("stall_warning", &self.stall_warning)
            .finish_non_exhaustive()
    }
}

/// Tells the observer the hook ended when dropped, so that a hook abandoned half way (its
/// phase cancelled, its future dropped) is no longer shown running.
struct Running<'a>(HookWatch<'a>);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.observer.ended(self.0.module, self.0.phase);
    }
}

/// Warns of a stall at each multiple of the stall interval after `started`; never ends.
///
/// On tokio's clock rather than the system's, so that a test with paused time sees the
/// warnings at their virtual times.
async fn stall_warnings(watch: Option<HookWatch<'_>>, started: tokio::time::Instant) -> Infallible {
    let Some((watch, every)) = watch.and_then(|w| Some((w, w.stall_warning?))) else {
        return std::future::pending().await;
    };
    let mut next = started + every;
    loop {
        tokio::time::sleep_until(next).await;
        watch
            .observer
            .stalled(watch.module, watch.phase, started.elapsed());
        next += every;
    }
}

/// Runs a synchronous hook with its panic caught, and measures it.
pub(crate) fn run_sync_hook(
    hook: impl FnOnce() -> anyhow::Result<()>,
) -> (Duration, Result<(), HookFailure>) {
    let started = Instant::now();
    let outcome = match std::panic::catch_unwind(AssertUnwindSafe(hook)) {
        Ok(result) => result.map_err(HookFailure::Error),
        Err(panic) => Err(panicked(&*panic)),
    };
    (started.elapsed(), outcome)
}

/// Runs an async hook within `limits`, with its panic caught, and measures it.
///
/// Most hooks finish on their first poll; those never touch the timer wheel.
pub(crate) async fn run_hook<F>(
    hook: F,
    limits: HookLimits<'_>,
) -> (Duration, Result<(), HookFailure>)
where
    F: Future<Output = anyhow::Result<()>>,
{
    let started = Instant::now();
    if limits
        .abandon_on
        .is_some_and(CancellationToken::is_cancelled)
    {
        return (Duration::ZERO, Err(HookFailure::Cancelled));
    }
    let mut hook = pin!(AssertUnwindSafe(hook).catch_unwind());
    let first = poll_fn(|cx| Poll::Ready(hook.as_mut().poll(cx))).await;
    let finished = match first {
        Poll::Ready(finished) => finished,
        Poll::Pending => {
            let _running = limits.watch.map(|watch| {
                watch.observer.running(watch.module, watch.phase, started);
                Running(watch)
            });
            // Read only here: most hooks never get this far, and tokio's clock costs more
            // than the system's.
            let started_on_tokio = tokio::time::Instant::now() - started.elapsed();
            let stalls = stall_warnings(limits.watch, started_on_tokio);
            let deadline = async {
                match limits.deadline {
                    Some(limit) => tokio::time::sleep_until((started + limit).into()).await,
                    None => std::future::pending().await,
                }
            };
            let abandon = async {
                match limits.abandon_on {
                    Some(token) => token.cancelled().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                biased;
                finished = &mut hook => finished,
                () = abandon => return (started.elapsed(), Err(HookFailure::Cancelled)),
                () = deadline => {
                    let limit = limits.deadline.unwrap_or_default();
                    let failure = HookFailure::Error(HookTimedOut { limit }.into());
                    if let Some(watch) = limits.watch {
                        watch.observer.finished(watch.module, watch.phase);
                    }
                    return (started.elapsed(), Err(failure));
                }
                never = stalls => match never {},
            }
        }
    };
    if let Some(watch) = limits.watch {
        watch.observer.finished(watch.module, watch.phase);
    }
    let outcome = match finished {
        Ok(result) => result.map_err(HookFailure::Error),
        Err(panic) => Err(panicked(&*panic)),
    };
    (started.elapsed(), outcome)
}

fn panicked(payload: &(dyn Any + Send)) -> HookFailure {
    HookFailure::Error(
        HookPanicked {
            message: panic_message(payload),
        }
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(outcome: Result<(), HookFailure>) -> anyhow::Error {
        match outcome {
            Err(HookFailure::Error(error)) => error,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_panicking_hook_becomes_an_error_with_its_message() {
        let (_, outcome) = run_hook(async { panic!("boom in init") }, HookLimits::default()).await;
        let error = error_of(outcome);
        assert_eq!(
            error.downcast_ref::<HookPanicked>().unwrap().message,
            "boom in init"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_hook_past_its_deadline_times_out() {
        let limits = HookLimits {
            deadline: Some(Duration::from_secs(5)),
            ..HookLimits::default()
        };
        let (_, outcome) = run_hook(std::future::pending(), limits).await;
        let error = error_of(outcome);
        assert_eq!(
            error.downcast_ref::<HookTimedOut>().unwrap().limit,
            Duration::from_secs(5)
        );
    }

    #[tokio::test]
    async fn a_cancelled_host_abandons_the_hook() {
        let token = CancellationToken::new();
        let limits = HookLimits {
            abandon_on: Some(&token),
            ..HookLimits::default()
        };
        let canceller = token.clone();
        let hook = async move {
            tokio::task::yield_now().await;
            canceller.cancel();
            std::future::pending::<anyhow::Result<()>>().await
        };
        let (_, outcome) = run_hook(hook, limits).await;
        assert!(matches!(outcome, Err(HookFailure::Cancelled)));
    }

    #[test]
    fn a_panicking_sync_hook_becomes_an_error() {
        let (_, outcome) = run_sync_hook(|| panic!("{}", String::from("owned message")));
        let error = error_of(outcome);
        assert_eq!(
            error.downcast_ref::<HookPanicked>().unwrap().message,
            "owned message"
        );
    }

    /// Records what it hears.
    #[derive(Default)]
    struct Recorder(std::sync::Mutex<Vec<String>>);

    impl HookObserver for Recorder {
        fn running(&self, module: u32, phase: Phase, _began: Instant) {
            self.push(format!("running {module} {phase}"));
        }
        fn stalled(&self, module: u32, phase: Phase, running_for: Duration) {
            self.push(format!("stalled {module} {phase} {running_for:.0?}"));
        }
        fn ended(&self, module: u32, phase: Phase) {
            self.push(format!("ended {module} {phase}"));
        }
        fn finished(&self, module: u32, phase: Phase) {
            self.push(format!("finished {module} {phase}"));
        }
    }

    impl Recorder {
        fn push(&self, line: String) {
            self.0.lock().unwrap().push(line);
        }
        fn lines(&self) -> Vec<String> {
            self.0.lock().unwrap().clone()
        }
    }

    fn watched(recorder: &Recorder, deadline: Option<Duration>) -> HookLimits<'_> {
        HookLimits {
            deadline,
            abandon_on: None,
            watch: Some(HookWatch {
                observer: recorder,
                module: 7,
                phase: Phase::Init,
                stall_warning: Some(Duration::from_secs(5)),
            }),
        }
    }

    #[tokio::test]
    async fn a_hook_that_finishes_at_once_is_only_marked_finished() {
        let recorder = Recorder::default();
        let (_, outcome) = run_hook(async { Ok(()) }, watched(&recorder, None)).await;
        assert!(outcome.is_ok());
        assert_eq!(recorder.lines(), ["finished 7 init"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_hook_is_reported_at_each_interval_until_its_deadline() {
        let recorder = Recorder::default();
        let limits = watched(&recorder, Some(Duration::from_secs(12)));
        let (_, outcome) = run_hook(std::future::pending(), limits).await;
        assert!(matches!(outcome, Err(HookFailure::Error(_))));
        assert_eq!(
            recorder.lines(),
            [
                "running 7 init",
                "stalled 7 init 5s",
                "stalled 7 init 10s",
                "finished 7 init",
                "ended 7 init",
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_hook_is_no_longer_running() {
        let recorder = Recorder::default();
        let hook = run_hook(std::future::pending(), watched(&recorder, None));
        let gave_up = tokio::time::timeout(Duration::from_secs(1), hook).await;
        assert!(gave_up.is_err());
        assert_eq!(recorder.lines(), ["running 7 init", "ended 7 init"]);
    }
}
