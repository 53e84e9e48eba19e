use modkit::CancellationToken;

pub struct Ticker;

#[modkit::lifecycle]
impl Ticker {
    async fn run(&self, _cancel: CancellationToken) -> Option<()> {
        None
    }
}

fn main() {}
