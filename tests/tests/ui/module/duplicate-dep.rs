#[derive(Default)]
#[modkit::module(name = "users", deps = ["audit", "db-pool", "audit"])]
pub struct Users;

fn main() {}
