use modkit::CancellationToken;

pub struct Ticker;

#[modkit::lifecycle(method = "run now")]
impl Ticker {
    async fn run(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
