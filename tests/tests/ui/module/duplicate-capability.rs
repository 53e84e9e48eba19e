#[derive(Default)]
#[modkit::module(name = "users", capabilities = [rest, db, rest])]
pub struct Users;

fn main() {}
