//! `/docs` is Swagger UI served from the binary (no CDN): it renders in real headless
//! Chromium (installed by `.ci/run`) and lists every operation.

use std::process::Stdio;
use std::time::Duration;

use modkit::registry::RegistryBuilder;
use modkit_tests::{ProbeApi, ServedHost};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_docs_page_lists_the_operations() {
    let mut builder = RegistryBuilder::default();
    ProbeApi::register(&mut builder);
    let host = ServedHost::start(builder, serde_json::json!({})).await;

    // Every asset the page loads comes from the gateway itself.
    let page = host.get("/docs/").await.text().await.unwrap();
    for external in ["https://", "http://", "//cdn", "unpkg", "jsdelivr"] {
        assert!(
            !page.contains(external),
            "the page loads `{external}` assets:\n{page}"
        );
    }

    let Some(chromium) = modkit_tests::outside::tool(
        "the_docs_page_lists_the_operations",
        "chromium",
        "apt-get install chromium",
    ) else {
        host.shut_down().await.assert_ok();
        return;
    };
    let profile = std::env::temp_dir().join(format!("modkit-chromium-{}", std::process::id()));
    let run = tokio::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(host.url("/docs/"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("chromium finished within a minute")
        .unwrap_or_else(|error| {
            panic!(
                "cannot run `chromium` ({error}); `.ci/run` installs it (apt-get install chromium)"
            )
        });
    let _ = std::fs::remove_dir_all(&profile);
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        dom.contains("swagger-ui"),
        "Swagger UI did not render:\n{dom}"
    );
    for operation in ["probe.get_item", "probe.list_items", "probe.create_item"] {
        assert!(
            dom.contains(operation),
            "`{operation}` is not listed:\n{dom}"
        );
    }
    for path in ["/items/{id}", "/items"] {
        assert!(dom.contains(path), "`{path}` is not listed");
    }
    host.shut_down().await.assert_ok();
}
