//! How long to wait before restarting a crashed child.

use std::time::Duration;

use crate::oop::RestartSettings;

/// The wait before restart number `restart` (1 for the first): `initial_backoff` doubled
/// for each earlier restart, capped at `max_backoff`, then drawn between half and all of
/// it with `random` so that children that crashed together do not restart together.
pub(super) fn restart_delay(settings: &RestartSettings, restart: u32, random: u64) -> Duration {
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
pub(super) fn jitter_seed() -> u64 {
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
