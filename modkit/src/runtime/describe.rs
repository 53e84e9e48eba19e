//! What a host serves, found without serving it: [`HostRuntime::describe`](super::HostRuntime::describe).

use std::collections::BTreeMap;

use serde::Serialize;

/// The REST operations and gRPC services of a host's modules, in registration order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostApi {
    /// Every route a module added through the REST host's registry (the host's own
    /// routes, such as `/readyz`, under the host's name).
    pub rest: Vec<DescribedRoute>,
    /// Every gRPC service a module handed to the hub.
    pub grpc: Vec<DescribedService>,
    /// Each module whose `init` got no client from some dependencies it declares that
    /// provide clients, with those dependencies: likely left over from an earlier design
    /// (or reached some other way than the ClientHub).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unused_deps: BTreeMap<String, Vec<String>>,
}

/// One REST route of a [`HostApi`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DescribedRoute {
    /// The module that registered it.
    pub module: String,
    /// Its HTTP method, upper case.
    pub method: String,
    /// Its path, as the module wrote it (`/v1/users/{id}`).
    pub path: String,
    /// Its OpenAPI operation id; `None` for a route claimed without documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
}

/// One gRPC service of a [`HostApi`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DescribedService {
    /// The module that offers it.
    pub module: String,
    /// Its fully qualified name (`calculator.v1.Calculator`).
    pub service: String,
}

impl HostApi {
    /// The routes `module` registered.
    pub fn routes_of<'a>(&'a self, module: &'a str) -> impl Iterator<Item = &'a DescribedRoute> {
        self.rest.iter().filter(move |route| route.module == module)
    }

    /// The gRPC services `module` offers.
    pub fn services_of<'a>(
        &'a self,
        module: &'a str,
    ) -> impl Iterator<Item = &'a DescribedService> {
        self.grpc
            .iter()
            .filter(move |service| service.module == module)
    }
}
