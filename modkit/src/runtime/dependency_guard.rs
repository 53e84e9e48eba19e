//! The runtime's answer to the ClientHub's question "may the module running now use a client
//! that module X registered?": yes when it depends on X, directly or not, or when X is a
//! system module (infrastructure such as the gRPC hub's directory access, which the runtime
//! brings up before the ordinary modules by design).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::ModuleHandle;
use crate::client_hub::DependencyGuard;

/// The host's dependency graph as the ClientHub needs it, and what modules used.
///
/// Cheap to build: the name index and the records are made on the first question, which a
/// host whose modules register no clients never asks.
#[derive(Debug)]
pub(crate) struct HostDependencies {
    names: Vec<&'static str>,
    /// Whether each module is a system module.
    system: Vec<bool>,
    /// Each module's direct dependencies, by position.
    deps: Arc<[Box<[u32]>]>,
    asked: OnceLock<Asked>,
}

#[derive(Debug)]
struct Asked {
    index: HashMap<&'static str, u32>,
    /// Each module's dependencies, direct or not, worked out on its first lookup.
    reach: Vec<OnceLock<Box<[bool]>>>,
    record: Mutex<Record>,
}

#[derive(Debug)]
struct Record {
    /// Whether each module registered a client.
    provides: Vec<bool>,
    /// For each module, the direct dependencies whose clients it got.
    used: Vec<Vec<u32>>,
}

impl HostDependencies {
    pub(crate) fn new(
        names: Vec<&'static str>,
        system: Vec<bool>,
        deps: Arc<[Box<[u32]>]>,
    ) -> Self {
        Self {
            names,
            system,
            deps,
            asked: OnceLock::new(),
        }
    }

    /// Module `module`'s declared dependencies that registered clients of which it got
    /// none, so far.
    pub(crate) fn unused(&self, module: u32) -> Vec<&'static str> {
        let Some(asked) = self.asked.get() else {
            return Vec::new();
        };
        let record = asked.lock();
        self.deps[module as usize]
            .iter()
            .filter(|&&dep| {
                record.provides[dep as usize] && !record.used[module as usize].contains(&dep)
            })
            .map(|&dep| self.names[dep as usize])
            .collect()
    }

    fn asked(&self) -> &Asked {
        self.asked.get_or_init(|| {
            let count = self.names.len();
            Asked {
                index: self
                    .names
                    .iter()
                    .enumerate()
                    .map(|(position, &name)| (name, u32::try_from(position).unwrap_or(u32::MAX)))
                    .collect(),
                reach: (0..count).map(|_| OnceLock::new()).collect(),
                record: Mutex::new(Record {
                    provides: vec![false; count],
                    used: vec![Vec::new(); count],
                }),
            }
        })
    }

    /// Every module `module` depends on, directly or not.
    fn reach(&self, module: u32) -> Box<[bool]> {
        let mut reached = vec![false; self.names.len()];
        let mut stack: Vec<u32> = self.deps[module as usize].to_vec();
        while let Some(dep) = stack.pop() {
            if !std::mem::replace(&mut reached[dep as usize], true) {
                stack.extend(self.deps[dep as usize].iter().copied());
            }
        }
        reached.into_boxed_slice()
    }
}

impl Asked {
    fn lock(&self) -> std::sync::MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl DependencyGuard for HostDependencies {
    fn registering(&self) -> Option<&'static str> {
        let name = ModuleHandle::current()?.name();
        let asked = self.asked();
        if let Some(&module) = asked.index.get(name) {
            asked.lock().provides[module as usize] = true;
        }
        Some(name)
    }

    fn check(&self, provider: &'static str) -> Result<(), &'static str> {
        let Some(caller) = ModuleHandle::current().map(|handle| handle.name()) else {
            return Ok(());
        };
        let asked = self.asked();
        let (Some(&module), Some(&dep)) = (asked.index.get(caller), asked.index.get(provider))
        else {
            // A module of another host sharing the hub: not ours to judge.
            return Ok(());
        };
        if module == dep || self.system[dep as usize] {
            return Ok(());
        }
        let reach = asked.reach[module as usize].get_or_init(|| self.reach(module));
        if !reach[dep as usize] {
            return Err(caller);
        }
        if self.deps[module as usize].contains(&dep) {
            let mut record = asked.lock();
            let used = &mut record.used[module as usize];
            if !used.contains(&dep) {
                used.push(dep);
            }
        }
        Ok(())
    }
}
