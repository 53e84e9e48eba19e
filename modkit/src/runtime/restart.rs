//! Restarting what crashed: the policy, backoff and crash-loop limit of
//! `modules.<name>.runtime.restart`, shared by out-of-process children (restarted by their
//! backend) and supervised in-process modules (restarted by the runtime).

use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::config::parse_duration;

/// Whether what crashed is started again: `modules.<name>.runtime.restart.policy`.
///
/// For an out-of-process module what crashes is its child; for a supervised in-process
/// module (one whose section has a `restart` key) it is its lifecycle task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestartPolicy {
    /// Never: a child that ends leaves its module failed (or stopped, if it exited with 0);
    /// an in-process module whose task failed stays failed.
    Never,
    /// When it crashes, exits with a non-zero status, or (in process) its task fails or
    /// panics (the default).
    #[default]
    OnFailure,
}

/// Restart policy, backoff and crash-loop limit: `modules.<name>.runtime.restart`.
///
/// The same section serves out-of-process children and in-process stateful modules. An
/// in-process module is supervised only when its section has a `restart` key; without one
/// a task that fails leaves it failed, as it always did.
///
/// ```
/// use std::time::Duration;
/// use modkit::runtime::{RestartPolicy, RestartSettings};
///
/// let settings: RestartSettings =
///     serde_json::from_value(serde_json::json!({ "initial_backoff": "50ms", "max_restarts": 3 }))?;
/// assert_eq!(settings.policy, RestartPolicy::OnFailure);
/// assert_eq!(settings.initial_backoff, Duration::from_millis(50));
/// assert_eq!(settings.max_restarts, 3);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RestartSettings {
    /// `never` or `on_failure` (default).
    pub policy: RestartPolicy,
    /// The wait before the first restart (default `100ms`); doubled after each further
    /// crash, up to `max_backoff`, each wait drawn between half and all of it (jitter).
    #[serde(deserialize_with = "duration")]
    pub initial_backoff: Duration,
    /// The longest wait between restarts (default `10s`).
    #[serde(deserialize_with = "duration")]
    pub max_backoff: Duration,
    /// The crash-loop limit: this many restarts in a row without the child staying up for
    /// `stable_after`, and the next crash leaves the module failed (default 5).
    pub max_restarts: u32,
    /// A child that stayed up this long has its crash count reset (default `30s`).
    #[serde(deserialize_with = "duration")]
    pub stable_after: Duration,
    /// Out of process only: a running child that has been missing from the host's directory this long (its
    /// registration expired because its heartbeats stopped: it hangs, or was stopped) is
    /// killed with SIGKILL and handled as a crash (default `5s`).
    #[serde(deserialize_with = "duration")]
    pub unresponsive_after: Duration,
}

impl Default for RestartSettings {
    fn default() -> Self {
        Self {
            policy: RestartPolicy::OnFailure,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            max_restarts: 5,
            stable_after: Duration::from_secs(30),
            unresponsive_after: Duration::from_secs(5),
        }
    }
}

/// `"30s"` or a whole number of seconds.
#[derive(Deserialize)]
#[serde(untagged)]
enum DurationValue {
    Text(String),
    Seconds(u64),
}

fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    match DurationValue::deserialize(deserializer)? {
        DurationValue::Seconds(seconds) => Ok(Duration::from_secs(seconds)),
        DurationValue::Text(text) => parse_duration(&text).map_err(serde::de::Error::custom),
    }
}

/// The wait before restart number `restart` (1 for the first): `initial_backoff` doubled
/// for each earlier restart, capped at `max_backoff`, then drawn between half and all of
/// it with `random` so that children that crashed together do not restart together.
pub(crate) fn restart_delay(settings: &RestartSettings, restart: u32, random: u64) -> Duration {
    let doublings = restart.saturating_sub(1).min(31);
    let full = settings
        .initial_backoff
        .saturating_mul(1 << doublings)
        .min(settings.max_backoff);
    let half = full / 2;
    let spread = u64::try_from((full - half).as_nanos()).unwrap_or(u64::MAX);
    half + Duration::from_nanos(random % spread.saturating_add(1))
}

/// A random number for [`restart_delay`]'s jitter.
pub(crate) fn jitter_seed() -> u64 {
    uuid::Uuid::new_v4().as_u64_pair().0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RestartSettings {
        RestartSettings {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            ..RestartSettings::default()
        }
    }

    #[test]
    fn doubles_up_to_the_cap_within_the_jitter_band() {
        let settings = settings();
        for (restart, full_ms) in [
            (1, 100),
            (2, 200),
            (3, 400),
            (4, 800),
            (5, 1000),
            (60, 1000),
        ] {
            let full = Duration::from_millis(full_ms);
            for random in [0, 1, u64::MAX / 3, u64::MAX] {
                let delay = restart_delay(&settings, restart, random);
                assert!(delay >= full / 2 && delay <= full, "{restart}: {delay:?}");
            }
        }
    }

    #[test]
    fn jitter_spreads_the_delays() {
        let settings = settings();
        let delays: std::collections::HashSet<Duration> = (0..20)
            .map(|_| restart_delay(&settings, 3, jitter_seed()))
            .collect();
        assert!(delays.len() > 1);
    }
}
