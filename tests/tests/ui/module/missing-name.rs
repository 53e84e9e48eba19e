#[derive(Default)]
#[modkit::module(deps = ["audit"])]
pub struct Users;

fn main() {}
