use std::fmt;

/// One thing wrong with the set of registered modules.
///
/// [`RegistryBuilder::build_topo_sorted`](super::RegistryBuilder::build_topo_sorted) reports
/// all of them at once in [`RegistryError::InvalidConfiguration`](super::RegistryError).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// A name is not kebab-case (`[a-z0-9]` words joined by single hyphens, starting with a
    /// letter), by the same rule as `#[modkit::module(name = ..)]`.
    InvalidName {
        /// The name as registered.
        name: &'static str,
    },
    /// Two registrations used one name.
    DuplicateName {
        /// The name registered twice.
        name: &'static str,
        /// Who registered it, in registration order: the Rust type of each
        /// `#[modkit::module]` (`my_crate::users::Users`), or `None` for a registration by
        /// hand (`RegistryBuilder::register_core_with_meta`).
        registered_by: Vec<Option<&'static str>>,
    },
    /// A module depends on a name nobody registered.
    UnknownDependency {
        /// The module that declared the dependency.
        module: &'static str,
        /// The missing name.
        dependency: &'static str,
        /// A registered name that looks like a typo of `dependency`.
        suggestion: Option<&'static str>,
    },
    /// Modules depend on each other in a circle.
    Cycle {
        /// The circle, first module repeated at the end: `["a", "b", "a"]`.
        path: Vec<&'static str>,
    },
    /// A capability was registered for a name that has no core module.
    CapabilityWithoutCore {
        /// The name the capability was registered under.
        module: &'static str,
        /// The capability (`rest`, `stateful`, ...).
        capability: &'static str,
    },
    /// A module registered the same capability twice.
    DuplicateCapability {
        /// The module.
        module: &'static str,
        /// The capability.
        capability: &'static str,
    },
    /// More than one module has the `rest_host` capability.
    MultipleRestHosts {
        /// Every module claiming to be the REST host.
        hosts: Vec<&'static str>,
    },
    /// More than one module has the `grpc_hub` capability.
    MultipleGrpcHubs {
        /// Every module claiming to be the gRPC hub.
        hubs: Vec<&'static str>,
    },
}

/// `a`, `b` and `c` as "`a`, `b`, `c`".
pub(crate) struct NameList<'a, S>(pub(crate) &'a [S]);

impl<S: fmt::Display> fmt::Display for NameList<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{name}`")?;
        }
        Ok(())
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidName { name } => write!(
                f,
                "module name `{name}` is not kebab-case (lowercase letters and digits joined by single hyphens, starting with a letter){}",
                match modkit_rules::to_kebab_case(name) {
                    Some(fixed) => format!("; use `{fixed}`"),
                    None => String::new(),
                }
            ),
            Self::DuplicateName {
                name,
                registered_by,
            } => {
                write!(f, "module name `{name}` is registered more than once, by ")?;
                for (i, registrant) in registered_by.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if i + 1 == registered_by.len() {
                            " and "
                        } else {
                            ", "
                        })?;
                    }
                    match registrant {
                        Some(rust_type) => {
                            let krate = rust_type.split("::").next().unwrap_or(rust_type);
                            write!(f, "`{rust_type}` (crate `{krate}`)")?;
                        }
                        None => f.write_str("a registration by hand")?,
                    }
                }
                f.write_str("; each module needs its own name: rename all but one")
            }
            Self::UnknownDependency {
                module,
                dependency,
                suggestion: Some(suggestion),
            } => write!(
                f,
                "module `{module}` depends on `{dependency}`, which is not registered; did you mean `{suggestion}`?"
            ),
            Self::UnknownDependency {
                module,
                dependency,
                suggestion: None,
            } => write!(
                f,
                "module `{module}` depends on `{dependency}`, which is not registered; is the crate that declares it linked into the host?"
            ),
            Self::Cycle { path } => {
                f.write_str("dependency cycle: `")?;
                for (i, name) in path.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" -> ")?;
                    }
                    f.write_str(name)?;
                }
                f.write_str("`")
            }
            Self::CapabilityWithoutCore { module, capability } => write!(
                f,
                "capability `{capability}` is registered for `{module}`, which has no core module; register the module itself with `register_core_with_meta`"
            ),
            Self::DuplicateCapability { module, capability } => write!(
                f,
                "module `{module}` registers capability `{capability}` more than once"
            ),
            Self::MultipleRestHosts { hosts } => write!(
                f,
                "only one module may be the REST host (`rest_host`), but {} all are",
                NameList(hosts)
            ),
            Self::MultipleGrpcHubs { hubs } => write!(
                f,
                "only one module may be the gRPC hub (`grpc_hub`), but {} all are",
                NameList(hubs)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_reads_as_a_path() {
        let problem = ConfigProblem::Cycle {
            path: vec!["a", "b", "c", "a"],
        };
        assert_eq!(problem.to_string(), "dependency cycle: `a -> b -> c -> a`");
    }
}
