use modkit::CancellationToken;

#[modkit::lifecycle]
pub async fn run(_cancel: CancellationToken) -> anyhow::Result<()> {
    Ok(())
}

fn main() {}
