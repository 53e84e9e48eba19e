use modkit::CancellationToken;

pub struct Ticker;

#[modkit::lifecycle]
impl Ticker {
    async fn run(&mut self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

pub struct Poller;

#[modkit::lifecycle]
impl Poller {
    async fn run(self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

pub struct Beacon;

#[modkit::lifecycle]
impl Beacon {
    async fn run(_cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
