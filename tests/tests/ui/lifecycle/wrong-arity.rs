use modkit::{CancellationToken, ReadySignal};

pub struct Ticker;

#[modkit::lifecycle]
impl Ticker {
    async fn run(&self) -> anyhow::Result<()> {
        Ok(())
    }
}

pub struct Poller;

// A `ReadySignal` parameter needs `await_ready`.
#[modkit::lifecycle]
impl Poller {
    async fn run(&self, _cancel: CancellationToken, _ready: ReadySignal) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
