use modkit::CancellationToken;

pub struct Ticker;

#[modkit::lifecycle]
impl Ticker {
    async fn run(&self, cancel: CancellationToken) {
        cancel.cancelled().await;
    }
}

fn main() {}
