//! Fixtures for out-of-process tests: a hub that names a directory endpoint, a stand-in for
//! an out-of-process module in the host, config sections, captured logs, process checks and
//! a gRPC health call.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use modkit::backends::LocalProcessBackend;
use modkit::oop::{OopBackend, OopModuleStatus, OopSpawnRequest};
use modkit::registry::RegistryBuilder;
use modkit::{GrpcHubCapability, Module, ModuleCtx};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

/// A gRPC hub (`grpc_hub`) that serves nothing but names a directory endpoint, so that the
/// oop spawn phase runs.
#[derive(Debug)]
pub struct StubDirectoryHub;

impl StubDirectoryHub {
    /// The endpoint it reports.
    pub const ENDPOINT: &'static str = "http://127.0.0.1:9";

    /// Registers it as `grpc-hub`.
    pub fn register(builder: &mut RegistryBuilder) {
        let hub = Arc::new(Self);
        builder.register_core_with_meta("grpc-hub", &[], hub.clone());
        builder.register_grpc_hub_with_meta("grpc-hub", hub);
    }
}

#[modkit::async_trait]
impl Module for StubDirectoryHub {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl GrpcHubCapability for StubDirectoryHub {
    fn bound_endpoint(&self) -> Option<String> {
        Some(Self::ENDPOINT.to_owned())
    }
}

/// What the host links of an out-of-process module (its SDK side): a module of that name,
/// doing nothing itself, whose state the host reports.
#[derive(Debug)]
pub struct OopStandIn;

impl OopStandIn {
    /// Registers a stand-in named `name`.
    pub fn register(name: &'static str, builder: &mut RegistryBuilder) {
        builder.register_core_with_meta(name, &[], Arc::new(Self));
    }
}

#[modkit::async_trait]
impl Module for OopStandIn {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Spawns `module`'s child through `backend` as a test host would, with no directory to
/// register with (a closed loopback port) and a status no runtime watches.
pub async fn spawn_detached(
    backend: &LocalProcessBackend,
    module: &'static str,
) -> anyhow::Result<()> {
    backend
        .spawn(OopSpawnRequest {
            module: module.to_owned(),
            directory_endpoint: "http://127.0.0.1:9".to_owned(),
            status: OopModuleStatus::detached(module),
        })
        .await
}

/// A `modules.<name>` section running `binary args..` out of process, with `restart` as its
/// `runtime.restart` (`null` for the defaults).
pub fn oop_section(binary: &str, args: &[&str], restart: Value) -> Value {
    let mut runtime = json!({
        "type": "oop",
        "execution": { "binary": binary, "args": args },
    });
    if !restart.is_null() {
        runtime["restart"] = restart;
    }
    json!({ "runtime": runtime })
}

/// One event the host logged.
#[derive(Debug, Clone, Default)]
pub struct LogLine {
    /// Its target.
    pub target: String,
    /// Its `module` field.
    pub module: Option<String>,
    /// Its `truncated` field (a child's line cut at the cap).
    pub truncated: Option<bool>,
    /// Its message.
    pub message: String,
}

/// Every event logged in this test process, from [`LogCapture::install`] on.
#[derive(Clone, Default)]
pub struct LogCapture {
    lines: Arc<Mutex<Vec<LogLine>>>,
}

impl LogCapture {
    /// Installs the capture as the process's subscriber (once; later calls get the same).
    pub fn install() -> Self {
        static CAPTURE: OnceLock<LogCapture> = OnceLock::new();
        CAPTURE
            .get_or_init(|| {
                let capture = LogCapture::default();
                let subscriber = tracing_subscriber::registry().with(capture.clone());
                let _ = tracing::subscriber::set_global_default(subscriber);
                capture
            })
            .clone()
    }

    /// The events logged so far that `keep` accepts.
    pub fn lines(&self, keep: impl Fn(&LogLine) -> bool) -> Vec<LogLine> {
        self.lock()
            .iter()
            .filter(|line| keep(line))
            .cloned()
            .collect()
    }

    /// The lines child `module` printed.
    pub fn child_lines(&self, module: &str) -> Vec<LogLine> {
        self.lines(|line| {
            line.target == "modkit::oop::child" && line.module.as_deref() == Some(module)
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<LogLine>> {
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for LogCapture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogCapture")
            .field("lines", &self.lock().len())
            .finish()
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for LogCapture {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut line = LogLine {
            target: event.metadata().target().to_owned(),
            ..LogLine::default()
        };
        event.record(&mut LineVisitor(&mut line));
        self.lock().push(line);
    }
}

struct LineVisitor<'a>(&'a mut LogLine);

impl Visit for LineVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "module" => self.0.module = Some(value.to_owned()),
            "message" => self.0.message = value.to_owned(),
            _ => {}
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "truncated" {
            self.0.truncated = Some(value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "module" => self.0.module = Some(format!("{value:?}").trim_matches('"').to_owned()),
            "message" => self.0.message = format!("{value:?}"),
            _ => {}
        }
    }
}

/// Whether process `pid` no longer runs (it is gone, or a zombie nobody reaped yet).
pub fn process_is_gone(pid: u32) -> bool {
    process_state(pid).is_none_or(|state| state == "Z" || state == "X")
}

/// Whether process `pid` is stopped (SIGSTOP took effect: a signal is delivered when the
/// process next runs, not when `kill` returns).
pub fn process_is_stopped(pid: u32) -> bool {
    process_state(pid).is_some_and(|state| state == "T")
}

/// The state letter of `/proc/<pid>/stat`, `None` if there is no such process.
fn process_state(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The state follows the command, which is in parentheses and may contain spaces.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().next().map(str::to_owned)
}

/// Waits up to `timeout` for process `pid` to be gone; whether it is.
pub async fn wait_until_gone(pid: u32, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if process_is_gone(pid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    process_is_gone(pid)
}

/// Calls `grpc.health.v1.Health/Check` at `endpoint`; whether it answered "serving".
pub async fn health_check(endpoint: &str) -> anyhow::Result<bool> {
    use tonic_health::pb::HealthCheckRequest;
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;

    let channel = tonic::transport::Endpoint::from_shared(endpoint.to_owned())?
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(5))
        .connect()
        .await?;
    let response = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await?;
    Ok(response.into_inner().status == ServingStatus::Serving as i32)
}
