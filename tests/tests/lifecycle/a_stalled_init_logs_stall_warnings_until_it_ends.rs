//! An `init` still running after `runtime.stall_warning` is logged as stalled, naming the
//! module, the hook, how long it has run and the modules already done with init, and again
//! at every interval until it ends; meanwhile the report shows the hook in progress. Time
//! is paused: the warnings come at 5 s and 10 s of virtual time.

use std::sync::Arc;
use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit::{Phase, RuntimeOptions};
use modkit_tests::{EventLog, Hook, LogCapture, LogLine, RecordingModule, TestHost, init, within};
use tokio::sync::Barrier;

const STUCK: &str = "stall-stuck";

fn stall_warnings(logs: &LogCapture) -> Vec<LogLine> {
    logs.lines(|line| {
        line.module.as_deref() == Some(STUCK) && line.message.contains("still running")
    })
}

#[tokio::test(start_paused = true)]
async fn a_stalled_init_is_logged_every_interval_until_it_ends() {
    let logs = LogCapture::install();
    let log = EventLog::new();
    let release = Arc::new(Barrier::new(2));
    let mut builder = RegistryBuilder::default();
    RecordingModule::new("stall-first", &log).register(&mut builder);
    RecordingModule::new(STUCK, &log)
        .deps(&["stall-first"])
        .wait_in(Hook::Init, release.clone())
        .register(&mut builder);
    let host = TestHost::new(builder)
        .options(RuntimeOptions {
            stall_warning: Some(Duration::from_secs(5)),
            ..RuntimeOptions::default()
        })
        .spawn();

    log.wait_for(init(STUCK)).await;
    let in_progress = host
        .report()
        .snapshot()
        .module(STUCK)
        .and_then(|module| module.hook_in_progress);
    assert_eq!(in_progress.map(|hook| hook.phase), Some(Phase::Init));

    // Virtual time: each sleep lets the runtime's timers fire; 40 rounds are 20 s.
    for _ in 0..40 {
        if stall_warnings(&logs).len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let warnings = stall_warnings(&logs);
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    for (warning, after) in warnings.iter().zip(["5.0s", "10.0s"]) {
        for part in ["init hook", after, "`stall-first`"] {
            assert!(
                warning.message.contains(part),
                "`{part}` is missing from: {}",
                warning.message
            );
        }
    }

    within("releasing init", release.wait()).await;
    assert!(host.wait_ready().await);
    assert_eq!(
        host.report()
            .snapshot()
            .module(STUCK)
            .and_then(|module| module.hook_in_progress),
        None
    );
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(
        stall_warnings(&logs).len(),
        2,
        "no warning after the hook ended"
    );
    host.shut_down().await.assert_ok();
}
