//! Pieces both benches use: a module that does nothing and a deterministic PRNG.

use modkit::{CancellationToken, Module, ModuleCtx, RunnableCapability};

/// A module whose hooks do nothing, so that only the runtime's own work is measured.
pub(crate) struct Noop;

#[modkit::async_trait]
impl Module for Noop {
    async fn init(&self, _: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl RunnableCapability for Noop {
    async fn start(&self, _: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }

    async fn stop(&self, _: CancellationToken) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A fixed-seed splitmix64, so every run drives the same graph.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform enough in `0..bound` for a benchmark (`bound` is far below 2^32).
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        (((self.next() >> 32) * bound as u64) >> 32) as usize
    }
}
