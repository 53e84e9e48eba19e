//! gRPC services that went or came.
//!
//! Services only: a module hands the hub a `RegisterGrpcServiceFn` (the service's name and
//! a function adding it to tonic's routes), which does not say which methods the service
//! has, so a removed method goes unnoticed here.

use std::collections::BTreeMap;

use super::{ChangeKind, DiffReport};
use crate::bootstrap::HostManifest;

pub(super) fn compare(old: &HostManifest, new: &HostManifest, report: &mut DiffReport) {
    let before = services(old);
    let after = services(new);
    for (service, was) in &before {
        match after.get(service) {
            None => report.breaks(
                ChangeKind::GrpcServiceRemoved,
                format!("gRPC service `{service}` (module `{was}`) removed"),
            ),
            Some(now) if now != was => report.allows(
                ChangeKind::GrpcServiceMoved,
                format!("gRPC service `{service}` is now offered by module `{now}` (was `{was}`)"),
            ),
            Some(_) => {}
        }
    }
    for (service, module) in &after {
        if !before.contains_key(service) {
            report.allows(
                ChangeKind::GrpcServiceAdded,
                format!("gRPC service `{service}` (module `{module}`) added"),
            );
        }
    }
}

/// Every service, with the module offering it.
fn services(manifest: &HostManifest) -> BTreeMap<&str, &str> {
    manifest
        .modules
        .iter()
        .flat_map(|module| {
            module
                .grpc_services
                .iter()
                .map(|service| (service.as_str(), module.name.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{breaking, compatible, demo, diff, module};
    use super::*;

    #[test]
    fn a_removed_service_breaks_and_an_added_one_does_not() {
        let old = demo();
        let mut new = demo();
        module(&mut new, "calculator").grpc_services =
            vec!["modkit.examples.calculator.v2.Calculator".to_owned()];
        let report = diff(&old, &new);
        assert_eq!(
            breaking(&report, ChangeKind::GrpcServiceRemoved),
            [
                "gRPC service `modkit.examples.calculator.v1.Calculator` (module `calculator`) removed"
            ]
        );
        assert_eq!(
            compatible(&report, ChangeKind::GrpcServiceAdded),
            ["gRPC service `modkit.examples.calculator.v2.Calculator` (module `calculator`) added"]
        );
    }
}
