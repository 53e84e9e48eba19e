#[modkit::module(name = "mode")]
pub enum Mode {
    Fast,
    Safe,
}

fn main() {}
