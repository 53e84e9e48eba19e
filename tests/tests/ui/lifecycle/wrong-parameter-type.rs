pub struct Ticker;

#[modkit::lifecycle]
impl Ticker {
    async fn run(&self, _interval: std::time::Duration) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
