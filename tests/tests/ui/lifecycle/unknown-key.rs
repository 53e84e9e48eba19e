use modkit::CancellationToken;

pub struct Ticker;

#[modkit::lifecycle(entry = "run", awaitready)]
impl Ticker {
    async fn run(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
