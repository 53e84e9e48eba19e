//! One bit per capability that selects the modules of a phase.

use crate::registry::{CapabilitySet, RunnableCap, SystemCap};

pub(crate) const SYSTEM: u8 = 1;
pub(crate) const RUNNABLE: u8 = 1 << 1;
#[cfg(feature = "db")]
pub(crate) const DATABASE: u8 = 1 << 2;
#[cfg(feature = "rest")]
pub(crate) const REST: u8 = 1 << 3;
#[cfg(feature = "rest")]
pub(crate) const REST_HOST: u8 = 1 << 4;
#[cfg(feature = "grpc")]
pub(crate) const GRPC_SERVICE: u8 = 1 << 5;

pub(crate) fn of(caps: &CapabilitySet) -> u8 {
    let mut bits = 0;
    let mut set = |present: bool, bit: u8| {
        if present {
            bits |= bit;
        }
    };
    set(caps.has::<SystemCap>(), SYSTEM);
    set(caps.has::<RunnableCap>(), RUNNABLE);
    #[cfg(feature = "db")]
    set(caps.has::<crate::registry::DatabaseCap>(), DATABASE);
    #[cfg(feature = "rest")]
    {
        set(caps.has::<crate::registry::RestApiCap>(), REST);
        set(caps.has::<crate::registry::ApiGatewayCap>(), REST_HOST);
    }
    #[cfg(feature = "grpc")]
    set(caps.has::<crate::registry::GrpcServiceCap>(), GRPC_SERVICE);
    bits
}
