#[derive(Default)]
#[modkit::module(name = "Users_Api")]
pub struct UsersApi;

#[derive(Default)]
#[modkit::module(name = "")]
pub struct Nameless;

#[derive(Default)]
#[modkit::module(name = "2fa")]
pub struct TwoFactor;

fn main() {}
