/// Every capability keyword of `#[module(capabilities = [..])]`, in the order the docs list
/// them. The macro accepts exactly these; modkit's capability table has one row for each
/// (a test there keeps the two equal).
pub const CAPABILITY_KEYWORDS: &[&str] = &[
    "db",
    "rest",
    "rest_host",
    "stateful",
    "system",
    "grpc_hub",
    "grpc",
];
