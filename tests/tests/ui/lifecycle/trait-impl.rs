use modkit::CancellationToken;

pub trait Service {
    async fn run(&self, cancel: CancellationToken) -> anyhow::Result<()>;
}

pub struct Ticker;

#[modkit::lifecycle]
impl Service for Ticker {
    async fn run(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
