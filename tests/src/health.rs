//! A module with the `health` capability whose check answers what the test sets.

use std::sync::{Arc, Mutex};

use modkit::registry::RegistryBuilder;
use modkit::{Health, HealthCapability, Module, ModuleCtx};

/// What a [`HealthSwitch`]'s next check does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckBehaviour {
    /// Answers this.
    Answer(Health),
    /// Never answers.
    Hang,
    /// Panics with this message.
    Panic(&'static str),
}

/// A module whose health check answers as the test says; up until told otherwise.
///
/// ```
/// use modkit::Health;
/// use modkit::registry::RegistryBuilder;
/// use modkit_tests::HealthSwitch;
///
/// let mut builder = RegistryBuilder::default();
/// let switch = HealthSwitch::register("store", &[], &mut builder);
/// switch.set(Health::Down("disk full".to_owned()));
/// ```
#[derive(Debug, Clone)]
pub struct HealthSwitch {
    behaviour: Arc<Mutex<CheckBehaviour>>,
}

impl HealthSwitch {
    /// Registers module `name` (depending on `deps`) with the `health` capability.
    pub fn register(
        name: &'static str,
        deps: &'static [&'static str],
        builder: &mut RegistryBuilder,
    ) -> Self {
        let switch = Self::attach(name, builder);
        builder.register_core_with_meta(name, deps, Arc::new(switch.clone()));
        switch
    }

    /// Gives module `name`, registered by other means, the `health` capability.
    pub fn attach(name: &'static str, builder: &mut RegistryBuilder) -> Self {
        let switch = Self {
            behaviour: Arc::new(Mutex::new(CheckBehaviour::Answer(Health::Up))),
        };
        builder.register_health_with_meta(name, Arc::new(switch.clone()));
        switch
    }

    /// The next checks answer `health`.
    pub fn set(&self, health: Health) {
        self.behave(CheckBehaviour::Answer(health));
    }

    /// The next checks do `behaviour`.
    pub fn behave(&self, behaviour: CheckBehaviour) {
        *self.behaviour.lock().unwrap_or_else(|p| p.into_inner()) = behaviour;
    }
}

#[modkit::async_trait]
impl Module for HealthSwitch {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

#[modkit::async_trait]
impl HealthCapability for HealthSwitch {
    async fn check(&self, _ctx: &ModuleCtx) -> Health {
        let behaviour = self
            .behaviour
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match behaviour {
            CheckBehaviour::Answer(health) => health,
            CheckBehaviour::Hang => std::future::pending().await,
            CheckBehaviour::Panic(message) => panic!("{message}"),
        }
    }
}
