#[derive(Default)]
#[modkit::module(name = "users", deps = ["auditLog"])]
pub struct Users;

fn main() {}
