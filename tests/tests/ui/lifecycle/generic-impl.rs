use modkit::CancellationToken;

pub struct Ticker<T>(T);

#[modkit::lifecycle]
impl<T: Send + Sync + 'static> Ticker<T> {
    async fn run(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

fn main() {}
