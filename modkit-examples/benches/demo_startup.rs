//! Start-up and shutdown of the built `demo-host`, as its user sees them: from launching
//! the process to its first 200 on `/readyz`, and from SIGTERM to its exit. Every run gets
//! a fresh home dir (so the `users` migrations run) and free loopback ports, and spawns the
//! calculator's child process as the demo config says. Prints figures; asserts only that
//! each run becomes ready and exits with status 0.
//!
//! Run with: cargo bench -p modkit-examples --bench demo_startup [-- <runs>]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process};

const DEMO_HOST: &str = env!("CARGO_BIN_EXE_demo-host");
/// How long a run may take to become ready, or to exit, before the bench gives up.
const PATIENCE: Duration = Duration::from_secs(30);

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this twice, briefly.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(if quick { 2 } else { 20 });
    let mut ready = Vec::with_capacity(runs);
    let mut exit = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (to_ready, to_exit) = one_run();
        ready.push(to_ready);
        exit.push(to_exit);
    }
    println!("demo-host ({DEMO_HOST}), {runs} runs");
    print_stats("launch -> first 200 on /readyz", &mut ready);
    print_stats("SIGTERM -> exit status 0", &mut exit);
}

fn one_run() -> (Duration, Duration) {
    let home = std::env::temp_dir().join(format!("modkit-startup-{}", uuid::Uuid::new_v4()));
    let http = free_port();
    let launched = Instant::now();
    let mut host = Command::new(DEMO_HOST)
        .env("MODKIT__SERVER__HOME_DIR", &home)
        .env(
            "MODKIT__MODULES__API_GATEWAY__CONFIG__BIND_ADDR",
            http.to_string(),
        )
        .env(
            "MODKIT__MODULES__GRPC_HUB__CONFIG__BIND_ADDR",
            "127.0.0.1:0",
        )
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("launch demo-host");
    while !is_ready(http) {
        assert!(
            launched.elapsed() < PATIENCE,
            "demo-host did not become ready"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let to_ready = launched.elapsed();

    let signalled = Instant::now();
    let pid = Pid::from_child(&host);
    kill_process(pid, Signal::TERM).expect("send SIGTERM");
    let status = wait(&mut host);
    let to_exit = signalled.elapsed();
    assert!(status.success(), "demo-host exited with {status}");
    let _ = std::fs::remove_dir_all(PathBuf::from(&home));
    (to_ready, to_exit)
}

/// Whether `GET /readyz` answers 200 (one short-lived HTTP/1.1 connection).
fn is_ready(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(100)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let request = "GET /readyz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

fn wait(host: &mut Child) -> std::process::ExitStatus {
    let began = Instant::now();
    loop {
        if let Some(status) = host.try_wait().expect("poll demo-host") {
            return status;
        }
        if began.elapsed() > PATIENCE {
            let _ = host.kill();
            panic!("demo-host did not exit within {PATIENCE:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("its address")
}

fn print_stats(what: &str, times: &mut [Duration]) {
    times.sort_unstable();
    let median = times[times.len() / 2];
    println!(
        "{what:<32} median {median:>9.1?}   min {:>9.1?}   max {:>9.1?}",
        times[0],
        times[times.len() - 1]
    );
}
