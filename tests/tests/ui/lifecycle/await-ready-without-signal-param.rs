use modkit::CancellationToken;

pub struct Ticker;

#[modkit::lifecycle(await_ready)]
impl Ticker {
    async fn run(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
