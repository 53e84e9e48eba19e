use std::fmt;
use std::sync::Arc;

#[cfg(feature = "db")]
use crate::contracts::DatabaseCapability;
#[cfg(feature = "grpc")]
use crate::contracts::GrpcServiceCapability;
#[cfg(feature = "rest")]
use crate::contracts::{ApiGatewayCapability, RestApiCapability};
use crate::contracts::{GrpcHubCapability, RunnableCapability, SystemCapability};

/// The capabilities one module registered, one trait object each.
///
/// Ask for one by its tag: `caps.has::<RunnableCap>()`, `caps.query::<RunnableCap>()`.
#[derive(Clone, Default)]
pub struct CapabilitySet {
    pub(crate) system: Option<Arc<dyn SystemCapability>>,
    pub(crate) runnable: Option<Arc<dyn RunnableCapability>>,
    pub(crate) grpc_hub: Option<Arc<dyn GrpcHubCapability>>,
    #[cfg(feature = "db")]
    pub(crate) database: Option<Arc<dyn DatabaseCapability>>,
    #[cfg(feature = "rest")]
    pub(crate) rest: Option<Arc<dyn RestApiCapability>>,
    #[cfg(feature = "rest")]
    pub(crate) rest_host: Option<Arc<dyn ApiGatewayCapability>>,
    #[cfg(feature = "grpc")]
    pub(crate) grpc_service: Option<Arc<dyn GrpcServiceCapability>>,
}

impl CapabilitySet {
    /// Whether the module registered the capability tagged `T`.
    pub fn has<T: CapabilityTag>(&self) -> bool {
        T::slot(self).is_some()
    }

    /// The module's implementation of the capability tagged `T`.
    pub fn query<T: CapabilityTag>(&self) -> Option<Arc<T::Trait>> {
        T::slot(self).clone()
    }

    /// The names of the registered capabilities, as written in `#[module(capabilities = [..])]`.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut note = |present: bool, name: &'static str| {
            if present {
                names.push(name);
            }
        };
        #[cfg(feature = "db")]
        note(self.database.is_some(), DatabaseCap::NAME);
        #[cfg(feature = "rest")]
        {
            note(self.rest.is_some(), RestApiCap::NAME);
            note(self.rest_host.is_some(), ApiGatewayCap::NAME);
        }
        note(self.runnable.is_some(), RunnableCap::NAME);
        note(self.system.is_some(), SystemCap::NAME);
        note(self.grpc_hub.is_some(), GrpcHubCap::NAME);
        #[cfg(feature = "grpc")]
        note(self.grpc_service.is_some(), GrpcServiceCap::NAME);
        names
    }
}

impl fmt::Debug for CapabilitySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A capability's tag: names the capability in [`CapabilitySet::has`] and
/// [`CapabilitySet::query`]. Implemented by the `*Cap` types of this module only.
pub trait CapabilityTag: sealed::Sealed {
    /// The capability's trait, as a trait object.
    type Trait: ?Sized + Send + Sync;
    /// The capability's name in `#[module(capabilities = [..])]`.
    const NAME: &'static str;
    #[doc(hidden)]
    fn slot(set: &CapabilitySet) -> &Option<Arc<Self::Trait>>;
    #[doc(hidden)]
    fn slot_mut(set: &mut CapabilitySet) -> &mut Option<Arc<Self::Trait>>;
}

macro_rules! capability_tags {
    ($( $(#[$meta:meta])* $tag:ident => $field:ident: dyn $trait:ident, $name:literal; )*) => {$(
        $(#[$meta])*
        #[doc = concat!("Tag of the `", $name, "` capability ([`", stringify!($trait), "`]).")]
        #[derive(Debug, Clone, Copy)]
        pub struct $tag;

        $(#[$meta])*
        impl sealed::Sealed for $tag {}

        $(#[$meta])*
        impl CapabilityTag for $tag {
            type Trait = dyn $trait;
            const NAME: &'static str = $name;
            fn slot(set: &CapabilitySet) -> &Option<Arc<Self::Trait>> {
                &set.$field
            }
            fn slot_mut(set: &mut CapabilitySet) -> &mut Option<Arc<Self::Trait>> {
                &mut set.$field
            }
        }
    )*};
}

capability_tags! {
    SystemCap => system: dyn SystemCapability, "system";
    RunnableCap => runnable: dyn RunnableCapability, "stateful";
    GrpcHubCap => grpc_hub: dyn GrpcHubCapability, "grpc_hub";
    #[cfg(feature = "db")]
    DatabaseCap => database: dyn DatabaseCapability, "db";
    #[cfg(feature = "rest")]
    RestApiCap => rest: dyn RestApiCapability, "rest";
    #[cfg(feature = "rest")]
    ApiGatewayCap => rest_host: dyn ApiGatewayCapability, "rest_host";
    #[cfg(feature = "grpc")]
    GrpcServiceCap => grpc_service: dyn GrpcServiceCapability, "grpc";
}
