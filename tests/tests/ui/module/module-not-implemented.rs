#[derive(Default)]
#[modkit::module(name = "users")]
pub struct Users;

fn main() {}
