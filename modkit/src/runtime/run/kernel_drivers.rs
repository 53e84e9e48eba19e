//! The kernel's own phases as drivers: the hooks every module or every system module has.

use super::Run;
use super::driver::PhaseDriver;
use crate::base::Phase;
use crate::registry::RegistryError;

macro_rules! hook_drivers {
    ($($(#[$doc:meta])* $driver:ident => $phase:ident, $method:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub(crate) struct $driver;

        #[async_trait::async_trait]
        impl PhaseDriver for $driver {
            fn phase(&self) -> Phase {
                Phase::$phase
            }

            async fn run(&self, run: &mut Run) -> Result<(), RegistryError> {
                run.$method().await
            }
        }
    )*};
}

hook_drivers! {
    /// System modules' `pre_init`, one at a time.
    PreInit => PreInit, pre_init;
    /// Every module's `init`, dependencies first.
    Init => Init, init;
    /// System modules' `post_init`, once every `init` is done.
    PostInit => PostInit, post_init;
    /// Stateful modules' `start`, and the children of modules placed out of process.
    Start => Start, start;
}
