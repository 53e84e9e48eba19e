//! Once start-up has finished, modules with the `health` capability are checked; a check
//! that does not answer within `runtime.health.timeout`, or panics, makes its module down,
//! and a down module holds readiness back. Time is paused: the timeout passes at once.

use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit::runtime::HealthOptions;
use modkit::{Health, RuntimeOptions, RuntimeReport};
use modkit_tests::{CheckBehaviour, HealthSwitch, TestHost};

fn check_of(report: &RuntimeReport, module: &str) -> Option<Health> {
    report
        .module(module)?
        .last_check
        .as_ref()
        .map(|check| check.health.clone())
}

#[tokio::test(start_paused = true)]
async fn a_hanging_or_panicking_check_counts_as_down() {
    let mut builder = RegistryBuilder::default();
    HealthSwitch::register("check-fine", &[], &mut builder);
    let hanging = HealthSwitch::register("check-hangs", &[], &mut builder);
    let panicking = HealthSwitch::register("check-panics", &[], &mut builder);
    hanging.behave(CheckBehaviour::Hang);
    panicking.behave(CheckBehaviour::Panic("the probe exploded"));
    let host = TestHost::new(builder)
        .options(RuntimeOptions {
            health: HealthOptions {
                interval: Duration::from_secs(30),
                timeout: Duration::from_secs(1),
            },
            ..RuntimeOptions::default()
        })
        .spawn();
    assert!(host.wait_ready().await);

    // Virtual time: the first round ends once the hanging check's second has passed.
    let mut report = host.report().snapshot();
    for _ in 0..100 {
        if check_of(&report, "check-hangs").is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        report = host.report().snapshot();
    }
    assert_eq!(check_of(&report, "check-fine"), Some(Health::Up));
    assert_eq!(
        check_of(&report, "check-hangs"),
        Some(Health::Down(
            "the health check did not answer within 1s".to_owned()
        ))
    );
    assert_eq!(
        check_of(&report, "check-panics"),
        Some(Health::Down(
            "the health check panicked: the probe exploded".to_owned()
        ))
    );
    let unready: Vec<String> = report
        .unready_modules()
        .into_iter()
        .map(|unready| unready.module)
        .collect();
    assert_eq!(unready, ["check-hangs", "check-panics"]);
    assert_eq!(
        host.report().module_serving("check-hangs"),
        Some(false),
        "gRPC health reads this"
    );
    assert_eq!(host.report().module_serving("check-fine"), Some(true));

    // The next round, a recovered module is up again.
    hanging.set(Health::Up);
    tokio::time::sleep(Duration::from_secs(31)).await;
    for _ in 0..100 {
        if check_of(&host.report().snapshot(), "check-hangs") == Some(Health::Up) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let report = host.report().snapshot();
    assert_eq!(check_of(&report, "check-hangs"), Some(Health::Up));
    assert_eq!(
        report.unready_modules().len(),
        1,
        "{:?}",
        report.unready_modules()
    );
    host.shut_down().await.assert_ok();
}
