#[derive(Default)]
#[modkit::module(name = "users", deps = ["audit"], name = "people")]
pub struct Users;

#[derive(Default)]
#[modkit::module(name = "ticker", lifecycle(stop_timeout = "5s", stop_timeout = "10s"))]
pub struct Ticker;

fn main() {}
