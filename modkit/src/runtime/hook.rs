//! Running one module hook: its panic caught, its deadline kept, its time measured.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use tokio_util::sync::CancellationToken;

pub(crate) use crate::base::{HookFailure, panic_message};
pub use crate::base::{HookPanicked, HookTimedOut};

/// Where a hook may be cut short.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HookLimits<'a> {
    /// Fail with [`HookTimedOut`] after this long.
    pub(crate) deadline: Option<Duration>,
    /// Drop the hook with [`HookFailure::Cancelled`] once this fires.
    pub(crate) abandon_on: Option<&'a CancellationToken>,
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
                    return (started.elapsed(), Err(HookFailure::Error(HookTimedOut { limit }.into())));
                }
            }
        }
    };
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
}
