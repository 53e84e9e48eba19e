//! The child of the out-of-process tests. Its first argument picks what it does:
//!
//! * `serve` (or nothing): runs `modkit::bootstrap::run_oop` with one module serving the
//!   standard gRPC health service (`grpc.health.v1.Health`);
//! * `crash`: prints a line to stderr and exits with status 3 at once;
//! * `huge-line <MiB>`: prints that many MiB on stdout without a newline, then a newline and
//!   `after-huge-line`, then serves;
//! * `ignore-sigterm`: ignores SIGTERM, announces itself running, and sleeps;
//! * `report-setup`: prints `setup <json>` (its environment, its secret file's mode and
//!   contents) on stdout, then serves.
//! * `report-config`: serves, also running module `config-reporter`, whose `init` prints
//!   `config precision=<its config's precision> api_token_hash=<DefaultHasher hash of its
//!   config's api_token>` on stdout: what it was handed, without printing the secret.
//! * `record-directory <file> [<down-flag>]`: serves, with a directory that appends each
//!   call (`register`, `heartbeat`, `deregister`) and its registration as a JSON line to
//!   `file` (a heartbeat with `serving`), heartbeating every 50 ms. With `down-flag`, it also
//!   runs module `switchable`, whose health check (every 20 ms) is down while that file
//!   exists.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;

use std::time::Duration;

use modkit::bootstrap::{
    NoDirectory, OopBootstrapError, OopDirectory, OopRunOptions, Registered, ServiceRegistration,
    run_oop_with,
};
use modkit::oop::protocol::{SECRET_FILE_ENV, ready_line};
use modkit::registry::RegistryBuilder;
use modkit::{GrpcServiceCapability, Module, ModuleCtx, RegisterGrpcServiceFn};

fn main() -> Result<(), OopBootstrapError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let behaviour = args.first().map_or("serve", String::as_str);
    match behaviour {
        "crash" => {
            eprintln!("crashing on purpose");
            std::process::exit(3);
        }
        "huge-line" => {
            let mib: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(64);
            let chunk = vec![b'x'; 1024 * 1024];
            let mut stdout = std::io::stdout().lock();
            for _ in 0..mib {
                let _ = stdout.write_all(&chunk);
            }
            let _ = stdout.write_all(b"\nafter-huge-line\n");
            let _ = stdout.flush();
        }
        "ignore-sigterm" => return ignore_sigterm(),
        "report-setup" => report_setup(),
        "record-directory" => {
            let file = args.get(1).cloned().unwrap_or_default();
            let mut modules = RegistryBuilder::default();
            if let Some(flag) = args.get(2) {
                let switchable = Arc::new(Switchable { flag: flag.into() });
                modules.register_core_with_meta("switchable", &[], switchable.clone());
                modules.register_health_with_meta("switchable", switchable);
            }
            return serve(
                Arc::new(FileDirectory { file }),
                Duration::from_millis(50),
                modules,
            );
        }
        "report-config" => {
            let mut modules = RegistryBuilder::default();
            modules.register_core_with_meta("config-reporter", &[], Arc::new(ConfigReporter));
            return serve(Arc::new(NoDirectory), Duration::from_secs(5), modules);
        }
        _ => {}
    }
    serve(
        Arc::new(NoDirectory),
        Duration::from_secs(5),
        RegistryBuilder::default(),
    )
}

/// Serves the health probe and the modules already in `modules`.
fn serve(
    directory: Arc<dyn OopDirectory>,
    heartbeat_interval: Duration,
    mut modules: RegistryBuilder,
) -> Result<(), OopBootstrapError> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .log_internal_errors(false)
        .try_init();
    let probe = Arc::new(HealthProbe);
    modules.register_core_with_meta("health-probe", &[], probe.clone());
    modules.register_grpc_service_with_meta("health-probe", probe);
    let mut options = OopRunOptions {
        modules: Some(modules),
        directory,
        heartbeat_interval,
        ..OopRunOptions::default()
    };
    options.runtime.health.interval = Duration::from_millis(20);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(OopBootstrapError::Process)?
        .block_on(run_oop_with(options))
}

fn ignore_sigterm() -> Result<(), OopBootstrapError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(OopBootstrapError::Process)?;
    runtime.block_on(async {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .map_err(OopBootstrapError::Process)?;
        println!("{}", ready_line("http://127.0.0.1:9"));
        loop {
            terminate.recv().await;
            eprintln!("ignoring SIGTERM");
        }
    })
}

fn report_setup() {
    let environment: serde_json::Map<String, serde_json::Value> = std::env::vars()
        .map(|(key, value)| (key, value.into()))
        .collect();
    let secret_file = std::env::var(SECRET_FILE_ENV).unwrap_or_default();
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .map(|metadata| metadata.permissions().mode() & 0o777)
            .unwrap_or_default()
    };
    let path = std::path::Path::new(&secret_file);
    let report = serde_json::json!({
        "env": environment,
        "secret_file_mode": mode(path),
        "secret_dir_mode": path.parent().map(mode).unwrap_or_default(),
        "secrets": std::fs::read_to_string(path).unwrap_or_default(),
    });
    println!("setup {report}");
}

/// Prints what it finds in its config, the secret only as a hash.
struct ConfigReporter;

/// The `config` section the `report-config` child expects.
#[derive(serde::Deserialize)]
struct ReportedConfig {
    precision: u32,
    api_token: modkit::config::Secret<String>,
}

#[modkit::async_trait]
impl Module for ConfigReporter {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        use std::hash::{DefaultHasher, Hash, Hasher};

        let config: ReportedConfig = ctx.config()?;
        let mut hasher = DefaultHasher::new();
        config.api_token.expose().hash(&mut hasher);
        println!(
            "config precision={} api_token_hash={}",
            config.precision,
            hasher.finish()
        );
        Ok(())
    }
}

/// Offers the standard gRPC health service.
struct HealthProbe;

#[modkit::async_trait]
impl Module for HealthProbe {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl GrpcServiceCapability for HealthProbe {
    async fn get_grpc_services(
        &self,
        _ctx: &ModuleCtx,
    ) -> anyhow::Result<Vec<RegisterGrpcServiceFn>> {
        let (_reporter, service) = tonic_health::server::health_reporter();
        Ok(vec![RegisterGrpcServiceFn {
            service_name: "grpc.health.v1.Health",
            register: Box::new(move |routes| {
                routes.add_service(service.clone());
            }),
        }])
    }
}

/// A directory that appends every call to a file, one JSON object a line.
struct FileDirectory {
    file: String,
}

impl FileDirectory {
    fn record(&self, call: &str, registration: &ServiceRegistration) -> anyhow::Result<()> {
        let line = serde_json::json!({
            "call": call,
            "module": registration.module,
            "endpoint": registration.endpoint,
            "services": registration.services,
            "directory": registration.directory_endpoint,
            "secret": registration.secret,
        });
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.file)?;
        writeln!(file, "{line}")?;
        Ok(())
    }
}

#[modkit::async_trait]
impl OopDirectory for FileDirectory {
    async fn register(&self, registration: &ServiceRegistration) -> anyhow::Result<Registered> {
        self.record("register", registration)?;
        Ok(Registered::default())
    }

    async fn heartbeat(&self, registration: &ServiceRegistration) -> anyhow::Result<()> {
        self.record("heartbeat", registration)
    }

    async fn heartbeat_serving(
        &self,
        registration: &ServiceRegistration,
        serving: bool,
    ) -> anyhow::Result<()> {
        self.record(
            if serving {
                "heartbeat"
            } else {
                "heartbeat-not-serving"
            },
            registration,
        )
    }

    async fn deregister(&self, registration: &ServiceRegistration) -> anyhow::Result<()> {
        self.record("deregister", registration)
    }
}

/// Down while its flag file exists.
struct Switchable {
    flag: std::path::PathBuf,
}

#[modkit::async_trait]
impl Module for Switchable {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl modkit::HealthCapability for Switchable {
    async fn check(&self, _ctx: &ModuleCtx) -> modkit::Health {
        if self.flag.exists() {
            modkit::Health::Down("the test raised its flag".to_owned())
        } else {
            modkit::Health::Up
        }
    }
}
