/// A capability as `#[module(capabilities = [..])]` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapabilityName {
    /// The keyword: `rest`.
    pub keyword: &'static str,
    /// Its tag type in `modkit::registry`: `RestApiCap`.
    pub tag: &'static str,
}

/// Every capability of `#[module(capabilities = [..])]`, in the order the docs list them.
/// The macro accepts exactly these keywords and registers each through its tag; modkit's
/// capability table has one row for each (a test there keeps the two equal).
pub const CAPABILITIES: &[CapabilityName] = &[
    CapabilityName {
        keyword: "db",
        tag: "DatabaseCap",
    },
    CapabilityName {
        keyword: "rest",
        tag: "RestApiCap",
    },
    CapabilityName {
        keyword: "rest_host",
        tag: "ApiGatewayCap",
    },
    CapabilityName {
        keyword: "stateful",
        tag: "RunnableCap",
    },
    CapabilityName {
        keyword: "system",
        tag: "SystemCap",
    },
    CapabilityName {
        keyword: "grpc_hub",
        tag: "GrpcHubCap",
    },
    CapabilityName {
        keyword: "grpc",
        tag: "GrpcServiceCap",
    },
    CapabilityName {
        keyword: "health",
        tag: "HealthCap",
    },
];
