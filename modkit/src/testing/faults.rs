//! Faults a [`TestHost`](super::TestHost) injects into chosen hooks, so a test can check a
//! module's rollback, degradation and restart paths with one line.
//!
//! A fault wraps the module's own implementation: the injected failure, panic, pause or hang
//! happens where the hook would begin, and a delayed hook then runs as written. Only what is
//! registered changes; the runtime runs the wrapped hooks exactly as it runs real ones, with
//! the same deadlines, panic catching and report.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::TestHostError;
use super::test_host::unknown_module;
use crate::base::Phase;
use crate::context::{ModuleCtx, SystemContext};
use crate::contracts::{Module, RunnableCapability, SystemCapability};
use crate::registry::{CapabilityTag, RegistryBuilder, RunnableCap, SystemCap};

/// What an injected fault does to a hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The hook returns an error instead of running.
    Fail,
    /// The hook panics instead of running.
    Panic,
    /// The hook runs after this pause, measured on tokio's clock (a test with paused time
    /// skips it at once).
    Delay(Duration),
    /// The hook never finishes: its deadline, or the host's cancellation, ends it.
    Hang,
}

/// The hooks a fault can be injected into.
const HOOKS: [Phase; 5] = [
    Phase::PreInit,
    Phase::Init,
    Phase::PostInit,
    Phase::Start,
    Phase::Stop,
];

/// The faults a test asked for, checked and applied when the host starts.
#[derive(Debug, Default)]
pub(super) struct FaultPlan(Vec<(String, Phase, Fault)>);

impl FaultPlan {
    pub(super) fn add(&mut self, module: &str, hook: Phase, fault: Fault) {
        self.0.push((module.to_owned(), hook, fault));
    }

    /// Wraps the hooks of `builder`'s modules that the plan names; refuses a fault that
    /// names no module, a hook the module does not have, or a hook it cannot affect.
    pub(super) fn apply(self, builder: &mut RegistryBuilder) -> Result<(), TestHostError> {
        for (position, (module, hook, fault)) in self.0.iter().enumerate() {
            let refuse = |reason: String| TestHostError::BadFault {
                module: module.clone(),
                hook: *hook,
                reason,
            };
            if self.0[..position]
                .iter()
                .any(|(earlier, earlier_hook, _)| earlier == module && earlier_hook == hook)
            {
                return Err(refuse(
                    "a fault for this hook was already injected".to_owned(),
                ));
            }
            let Some(core) = builder.cores.iter_mut().find(|core| core.name == *module) else {
                return Err(unknown_module(module, &builder.module_names()));
            };
            let name = core.name;
            let (hook, fault) = (*hook, *fault);
            match hook {
                Phase::Init => {
                    let inner = Arc::clone(&core.module);
                    core.module = Arc::new(FaultyModule { name, fault, inner });
                }
                Phase::PreInit if matches!(fault, Fault::Delay(_) | Fault::Hang) => {
                    return Err(refuse(
                        "pre_init is synchronous: it can fail or panic, not pause".to_owned(),
                    ));
                }
                Phase::PreInit | Phase::PostInit => {
                    wrap::<SystemCap>(builder, name, move |inner| {
                        Arc::new(FaultySystem {
                            name,
                            hook,
                            fault,
                            inner,
                        })
                    })
                    .map_err(refuse)?;
                }
                Phase::Start | Phase::Stop => {
                    wrap::<RunnableCap>(builder, name, move |inner| {
                        Arc::new(FaultyRunnable {
                            name,
                            hook,
                            fault,
                            inner,
                        })
                    })
                    .map_err(refuse)?;
                }
                _ => {
                    let hooks: Vec<&str> = HOOKS.iter().map(|hook| hook.as_str()).collect();
                    return Err(refuse(format!(
                        "faults go into the module hooks: {}",
                        hooks.join(", ")
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Makes module `name`'s capability tagged `T` go through `wrap` once registered; refuses
/// a module that did not register it.
fn wrap<T: CapabilityTag>(
    builder: &mut RegistryBuilder,
    name: &'static str,
    wrap: impl FnOnce(Arc<T::Trait>) -> Arc<T::Trait> + Send + 'static,
) -> Result<(), String>
where
    T::Trait: 'static,
{
    let Some(registration) = builder
        .capabilities
        .iter_mut()
        .find(|registration| registration.module == name && registration.capability == T::NAME)
    else {
        return Err(format!(
            "it does not declare the `{}` capability, so it has no such hook",
            T::NAME
        ));
    };
    let install = std::mem::replace(&mut registration.install, Box::new(|_| true));
    registration.install = Box::new(move |set| {
        let installed = install(set);
        if let Some(inner) = T::slot_mut(set).take() {
            *T::slot_mut(set) = Some(wrap(inner));
        }
        installed
    });
    Ok(())
}

impl Fault {
    /// Strikes where hook `hook` of module `module` begins; `Ok` lets the hook run.
    async fn strike(self, module: &str, hook: Phase) -> anyhow::Result<()> {
        match self {
            Self::Fail | Self::Panic => self.strike_now(module, hook),
            Self::Delay(pause) => {
                tokio::time::sleep(pause).await;
                Ok(())
            }
            Self::Hang => std::future::pending().await,
        }
    }

    /// [`strike`](Self::strike) for a synchronous hook, which cannot pause.
    fn strike_now(self, module: &str, hook: Phase) -> anyhow::Result<()> {
        match self {
            Self::Fail => Err(anyhow::anyhow!(
                "injected fault: `{module}`'s {} fails",
                hook.as_str()
            )),
            Self::Panic => panic!("injected fault: `{module}`'s {} panics", hook.as_str()),
            // Refused when the fault was applied.
            Self::Delay(_) | Self::Hang => Ok(()),
        }
    }
}

struct FaultyModule {
    name: &'static str,
    fault: Fault,
    inner: Arc<dyn Module>,
}

#[async_trait::async_trait]
impl Module for FaultyModule {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        self.fault.strike(self.name, Phase::Init).await?;
        self.inner.init(ctx).await
    }
}

struct FaultySystem {
    name: &'static str,
    hook: Phase,
    fault: Fault,
    inner: Arc<dyn SystemCapability>,
}

#[async_trait::async_trait]
impl SystemCapability for FaultySystem {
    fn pre_init(&self, sys: &SystemContext) -> anyhow::Result<()> {
        if self.hook == Phase::PreInit {
            self.fault.strike_now(self.name, self.hook)?;
        }
        self.inner.pre_init(sys)
    }

    async fn post_init(&self, sys: &SystemContext) -> anyhow::Result<()> {
        if self.hook == Phase::PostInit {
            self.fault.strike(self.name, self.hook).await?;
        }
        self.inner.post_init(sys).await
    }
}

struct FaultyRunnable {
    name: &'static str,
    hook: Phase,
    fault: Fault,
    inner: Arc<dyn RunnableCapability>,
}

#[async_trait::async_trait]
impl RunnableCapability for FaultyRunnable {
    async fn start(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        if self.hook == Phase::Start {
            self.fault.strike(self.name, self.hook).await?;
        }
        self.inner.start(cancel).await
    }

    async fn stop(&self, cancel: CancellationToken) -> anyhow::Result<()> {
        if self.hook == Phase::Stop {
            self.fault.strike(self.name, self.hook).await?;
        }
        self.inner.stop(cancel).await
    }
}
