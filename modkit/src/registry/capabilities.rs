//! The capability table: every capability a module can declare, one row each.
//!
//! A row gives the tag type, the keyword of `#[module(capabilities = [..])]`, the trait the
//! module implements, the [`RegistryBuilder`] method that registers it and the phases that
//! use it. Everything else comes from the rows: the storage of [`CapabilitySet`], its
//! [`CapabilityBits`] (one bit per row: the runtime picks a phase's modules by their bits,
//! `caps & SystemCap::BIT`, and [`CapabilityBits::used_in`] reads which rows a phase
//! reaches) and what the macro accepts: `modkit_rules::CAPABILITIES`
//! gives the macro each keyword with its tag, and a test below keeps it equal to the table.
//! `#[modkit::module]` registers a capability through its tag
//! ([`RegistryBuilder::register`]), so a module missing the trait is told so by the trait's
//! own message, at the keyword.
//!
//! Adding a capability is one row here and its trait, plus its keyword and tag in
//! `modkit-rules`.

use std::fmt;
use std::sync::Arc;

use super::RegistryBuilder;
use crate::base::Phase;
// The rows name the traits; whichever features are on, the glob brings theirs.
use crate::contracts::*;

/// Capabilities as a bit set, one bit per row of the table: what the runtime keeps per
/// module to choose the modules of a phase without reading each [`CapabilitySet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CapabilityBits(u16);

impl CapabilityBits {
    /// No capability.
    pub const NONE: Self = Self(0);

    /// Both sets together.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the two sets share a capability.
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The capabilities whose row lists `phase`: the modules a phase's hooks reach.
    pub fn used_in(phase: Phase) -> Self {
        ROWS.iter()
            .filter(|row| row.phases.contains(&phase))
            .fold(Self::NONE, |bits, row| bits.union(row.bit))
    }
}

/// One row of the table, as data.
struct Row {
    name: &'static str,
    /// The tag type's name, as `modkit_rules::CAPABILITIES` gives it to the macro.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "checked against modkit-rules in tests")
    )]
    tag: &'static str,
    bit: CapabilityBits,
    phases: &'static [Phase],
}

mod sealed {
    pub trait Sealed {}
}

/// A capability's tag: names the capability in [`CapabilitySet::has`] and
/// [`CapabilitySet::query`]. Implemented by the `*Cap` types of the table only.
pub trait CapabilityTag: sealed::Sealed {
    /// The capability's trait, as a trait object.
    type Trait: ?Sized + Send + Sync;
    /// The capability's keyword in `#[module(capabilities = [..])]`.
    const NAME: &'static str;
    /// The capability's bit in [`CapabilityBits`].
    const BIT: CapabilityBits;
    /// The phases whose hooks call the capability's trait.
    const PHASES: &'static [Phase];
    #[doc(hidden)]
    fn slot(set: &CapabilitySet) -> &Option<Arc<Self::Trait>>;
    #[doc(hidden)]
    fn slot_mut(set: &mut CapabilitySet) -> &mut Option<Arc<Self::Trait>>;
}

macro_rules! capability_table {
    ($(
        $(#[$meta:meta])*
        $tag:ident {
            keyword: $name:literal,
            field: $field:ident,
            trait: $trait:ident,
            register: $register:ident,
            phases: [$($phase:ident),*],
        }
    )*) => {
        /// The capabilities one module registered, one trait object each.
        ///
        /// Ask for one by its tag: `caps.has::<RunnableCap>()`, `caps.query::<RunnableCap>()`.
        #[derive(Clone, Default)]
        pub struct CapabilitySet {
            bits: CapabilityBits,
            $( $(#[$meta])* $field: Option<Arc<dyn $trait>>, )*
        }

        /// Each row's position, which is its bit.
        #[expect(clippy::enum_variant_names, reason = "named after the tags")]
        enum Ordinal { $( $(#[$meta])* $tag, )* }

        const ROWS: &[Row] = &[$(
            $(#[$meta])*
            Row {
                name: $name,
                tag: stringify!($tag),
                bit: CapabilityBits(1 << Ordinal::$tag as u16),
                phases: &[$(Phase::$phase),*],
            },
        )*];

        $(
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
                const BIT: CapabilityBits = CapabilityBits(1 << Ordinal::$tag as u16);
                const PHASES: &'static [Phase] = &[$(Phase::$phase),*];
                fn slot(set: &CapabilitySet) -> &Option<Arc<Self::Trait>> {
                    &set.$field
                }
                fn slot_mut(set: &mut CapabilitySet) -> &mut Option<Arc<Self::Trait>> {
                    &mut set.$field
                }
            }
        )*

        impl RegistryBuilder {$(
            $(#[$meta])*
            #[doc = concat!("Gives module `name` the `", $name, "` capability.")]
            pub fn $register(&mut self, name: &'static str, module: Arc<dyn $trait>) {
                self.register::<$tag>(name, module);
            }
        )*}
    };
}

capability_table! {
    SystemCap {
        keyword: "system",
        field: system,
        trait: SystemCapability,
        register: register_system_with_meta,
        phases: [PreInit, PostInit],
    }
    RunnableCap {
        keyword: "stateful",
        field: runnable,
        trait: RunnableCapability,
        register: register_stateful_with_meta,
        phases: [Start, Stop],
    }
    GrpcHubCap {
        keyword: "grpc_hub",
        field: grpc_hub,
        trait: GrpcHubCapability,
        register: register_grpc_hub_with_meta,
        phases: [OopSpawn],
    }
    HealthCap {
        keyword: "health",
        field: health,
        trait: HealthCapability,
        register: register_health_with_meta,
        // Polled by the runtime once start-up has finished, in no phase.
        phases: [],
    }
    #[cfg(feature = "db")]
    DatabaseCap {
        keyword: "db",
        field: database,
        trait: DatabaseCapability,
        register: register_db_with_meta,
        phases: [Db],
    }
    #[cfg(feature = "rest")]
    RestApiCap {
        keyword: "rest",
        field: rest,
        trait: RestApiCapability,
        register: register_rest_with_meta,
        phases: [Rest],
    }
    #[cfg(feature = "rest")]
    ApiGatewayCap {
        keyword: "rest_host",
        field: rest_host,
        trait: ApiGatewayCapability,
        register: register_rest_host_with_meta,
        phases: [Rest],
    }
    #[cfg(feature = "grpc")]
    GrpcServiceCap {
        keyword: "grpc",
        field: grpc_service,
        trait: GrpcServiceCapability,
        register: register_grpc_service_with_meta,
        phases: [Grpc],
    }
}

impl CapabilitySet {
    /// Whether the module registered the capability tagged `T`.
    pub fn has<T: CapabilityTag>(&self) -> bool {
        self.bits.intersects(T::BIT)
    }

    /// The module's implementation of the capability tagged `T`.
    pub fn query<T: CapabilityTag>(&self) -> Option<Arc<T::Trait>> {
        T::slot(self).clone()
    }

    /// The module's implementation of the capability tagged `T`, borrowed.
    pub fn get<T: CapabilityTag>(&self) -> Option<&Arc<T::Trait>> {
        T::slot(self).as_ref()
    }

    /// The registered capabilities as bits.
    pub fn bits(&self) -> CapabilityBits {
        self.bits
    }

    /// The names of the registered capabilities, as written in `#[module(capabilities = [..])]`,
    /// in table order.
    pub fn names(&self) -> Vec<&'static str> {
        ROWS.iter()
            .filter(|row| self.bits.intersects(row.bit))
            .map(|row| row.name)
            .collect()
    }

    /// Puts `capability` in its slot; `false` (and nothing changed) when the slot was taken.
    pub(crate) fn insert<T: CapabilityTag>(&mut self, capability: Arc<T::Trait>) -> bool {
        let slot = T::slot_mut(self);
        if slot.is_some() {
            return false;
        }
        *slot = Some(capability);
        self.bits = self.bits.union(T::BIT);
        true
    }
}

impl fmt::Debug for CapabilitySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_its_own_bit_and_the_macro_knows_every_keyword() {
        let mut seen = CapabilityBits::NONE;
        for row in ROWS {
            assert!(!seen.intersects(row.bit), "`{}` shares a bit", row.name);
            seen = seen.union(row.bit);
            let named = modkit_rules::CAPABILITIES
                .iter()
                .find(|capability| capability.keyword == row.name);
            assert_eq!(
                named.map(|capability| capability.tag),
                Some(row.tag),
                "modkit_rules::CAPABILITIES must name `{}` with its tag",
                row.name
            );
        }
        // With every feature on, the table and the macro's list are the same set.
        if ROWS.len() == 8 {
            assert_eq!(ROWS.len(), modkit_rules::CAPABILITIES.len());
        }
    }

    #[test]
    fn a_phase_reaches_the_capabilities_whose_rows_list_it() {
        assert_eq!(CapabilityBits::used_in(Phase::Start), RunnableCap::BIT);
        assert_eq!(
            CapabilityBits::used_in(Phase::PostInit),
            SystemCap::BIT,
            "post_init calls system modules only"
        );
        assert!(CapabilityBits::used_in(Phase::Init).is_empty());
    }
}
