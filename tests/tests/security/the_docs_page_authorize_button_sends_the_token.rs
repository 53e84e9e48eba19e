//! The docs page's Authorize button works, in real headless Chromium: a page served by the
//! gateway drives Swagger UI (in a same-origin frame) as a person would: Authorize, paste
//! the token, Authorize, close, open the protected operation, Try it out, Execute; the
//! protected operation answers 200 with the token's subject.

use std::process::Stdio;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Html;
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};
use modkit_tests::ServedHost;
use modkit_tests::security::{SecureApi, TestSigner, auth_modules, claims, jwks, jwks_file};
use serde_json::json;

/// The driver page: reads the token from its URL's fragment and writes what happened into
/// `#result`, which `--dump-dom` prints.
const DRIVER: &str = r#"<!doctype html>
<html><body>
<pre id="result">pending</pre>
<iframe id="docs" src="/docs/" width="1200" height="3000"></iframe>
<script>
const token = decodeURIComponent(location.hash.slice(1));
const result = document.getElementById('result');
const frame = document.getElementById('docs');
const doc = () => frame.contentDocument;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function find(selector, text) {
  for (let i = 0; i < 200; i++) {
    const found = [...(doc()?.querySelectorAll(selector) ?? [])]
      .find((e) => !text || e.textContent.includes(text));
    if (found) return found;
    await pause(50);
  }
  throw new Error('not found: ' + selector + (text ? ' with ' + text : ''));
}
function type(input, value) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
async function drive() {
  (await find('.auth-wrapper button.authorize')).click();
  type(await find('.modal-ux input'), token);
  (await find('.modal-ux button.authorize[type=submit], .modal-ux .auth-btn-wrapper button.authorize')).click();
  (await find('.modal-ux button.btn-done, .modal-ux button.close-modal')).click();
  // Opening an operation while the closing modal re-renders the page can be lost: click
  // until it is open (a bounded number of times).
  for (let i = 0; i < 20 && !doc().querySelector('.opblock.is-open'); i++) {
    (await find('.opblock', '/secure/whoami')).querySelector('.opblock-summary-control').click();
    await pause(250);
  }
  // The gateway's docs page starts in "try it out" mode; press the button only if not.
  await find('.opblock.is-open .try-out__btn');
  for (let i = 0; i < 20 && !doc().querySelector('.opblock.is-open button.execute'); i++) {
    if (i % 4 === 0) doc().querySelector('.opblock.is-open .try-out__btn').click();
    await pause(250);
  }
  (await find('.opblock.is-open button.execute')).click();
  const status = await find('.live-responses-table tr.response .response-col_status');
  const body = await find('.live-responses-table tr.response .response-col_description pre');
  result.textContent = 'status=' + status.textContent.trim() + ' body=' + body.textContent;
}
drive().catch((error) => {
  const open = doc().querySelector('.opblock.is-open')?.innerText?.slice(0, 1500)
    + ' modal=' + !!doc()?.querySelector('.modal-ux');
  result.textContent = 'failed: ' + error.message + ' ' + open;
});
</script>
</body></html>"#;

/// Serves the driver page at `/docs-driver` (public).
#[derive(Debug, Default)]
struct DocsDriver;

#[modkit::async_trait]
impl Module for DocsDriver {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for DocsDriver {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        Ok(OperationBuilder::get("/docs-driver")
            .public()
            .handler(|| async { Html(DRIVER) })
            .html_response(StatusCode::OK, "The page that drives the docs page")
            .register(router, openapi))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_pasted_into_authorize_gets_a_200_from_a_protected_operation() {
    let Some(chromium) = modkit_tests::outside::tool(
        "a_token_pasted_into_authorize_gets_a_200_from_a_protected_operation",
        "chromium",
        "apt-get install chromium",
    ) else {
        return;
    };
    let signer = TestSigner::rs256("docs");
    let file = jwks_file("docs-authorize", &jwks(&[&signer]));
    let mut builder = RegistryBuilder::default();
    let api = SecureApi::register(&mut builder);
    let driver = std::sync::Arc::new(DocsDriver);
    builder.register_core_with_meta("docs-driver", &[], driver.clone());
    builder.register_rest_with_meta("docs-driver", driver);
    let host = ServedHost::start(
        builder,
        auth_modules(json!({ "jwks_file": file }), json!({})),
    )
    .await;
    let token = signer.sign(&claims("docs-user", ""));

    let profile = std::env::temp_dir().join(format!("modkit-chromium-auth-{}", std::process::id()));
    let run = tokio::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{}#{token}", host.url("/docs-driver")))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(90), run)
        .await
        .expect("chromium finished within 90 s")
        .expect("chromium runs (`.ci/run` installs it)");
    let _ = std::fs::remove_dir_all(&profile);
    let dom = String::from_utf8_lossy(&output.stdout);
    let result = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or("no result element");
    assert!(
        result.starts_with("status=200"),
        "the docs page did not get a 200: {result}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(result.contains("docs-user"), "{result}");
    assert_eq!(
        api.calls(),
        1,
        "exactly the Execute request reached the handler"
    );
    host.shut_down().await.assert_ok();
    let _ = std::fs::remove_file(file);
}
