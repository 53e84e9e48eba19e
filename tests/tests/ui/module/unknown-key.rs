#[derive(Default)]
#[modkit::module(name = "users", dep = ["audit"], flavour = "vanilla")]
pub struct Users;

#[derive(Default)]
#[modkit::module(name = "ticker", lifecycle(method = "run", stop_timout = "5s"))]
pub struct Ticker;

fn main() {}
