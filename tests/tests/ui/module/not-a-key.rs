#[derive(Default)]
#[modkit::module("users")]
pub struct Users;

fn main() {}
