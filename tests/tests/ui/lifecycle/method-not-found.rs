use modkit::CancellationToken;

pub struct Ticker;

// The default method, `run`, is missing: the block's async methods are listed.
#[modkit::lifecycle]
impl Ticker {
    async fn serve(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }

    async fn tick(&self) {}
}

pub struct Poller;

// A misspelt method name gets a suggestion.
#[modkit::lifecycle(method = "pol")]
impl Poller {
    async fn poll(&self, _cancel: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

pub struct Beacon;

// No async method at all: the signature to add is shown.
#[modkit::lifecycle(await_ready)]
impl Beacon {
    fn new() -> Self {
        Self
    }
}

fn main() {}
