#[derive(Default)]
#[modkit::module(name = "cache")]
pub struct Cache<T> {
    entries: Vec<T>,
}

fn main() {}
