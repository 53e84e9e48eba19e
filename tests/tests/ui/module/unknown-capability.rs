#[derive(Default)]
#[modkit::module(name = "users", capabilities = [rets, cache])]
pub struct Users;

fn main() {}
