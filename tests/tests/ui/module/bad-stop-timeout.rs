use modkit::CancellationToken;

#[derive(Default)]
#[modkit::module(name = "ticker", lifecycle(stop_timeout = "30x"))]
pub struct Ticker;

#[derive(Default)]
pub struct Poller;

#[modkit::lifecycle(stop_timeout = "5 minutes")]
impl Poller {
    async fn run(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
