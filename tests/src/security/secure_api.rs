//! `secure-api`: a REST module with a protected, a scoped, a role-restricted
//! (`/secure/editors`, answering the caller's roles) and a public operation (and an
//! undocumented route, `/secure/raw`) whose
//! handlers count their calls and answer who called, and `CallerApi`, an in-process client
//! (reached through the ClientHub) that reports the caller it sees.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use axum::{Json, Router};
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability, SecurityContext};
use serde::{Deserialize, Serialize};

/// What the handlers answer: the caller as the handler saw it, and as code reached through
/// the ClientHub saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Whoami {
    /// `sub`.
    pub subject: Option<String>,
    /// The tenant claim.
    pub tenant: Option<String>,
    /// The scopes.
    pub scopes: Vec<String>,
    /// `jti`.
    pub token_id: Option<String>,
    /// The subject `CallerApi` saw.
    pub subject_via_client_hub: Option<String>,
}

/// An in-process client whose implementation reads the caller from the task it runs in.
pub trait CallerApi: Send + Sync {
    /// The subject of the request being served, if any.
    fn caller_subject(&self) -> Option<String>;
}

struct CallerFromContext;

impl CallerApi for CallerFromContext {
    fn caller_subject(&self) -> Option<String> {
        SecurityContext::current().map(|c| c.subject().to_owned())
    }
}

/// The module; [`calls`](Self::calls) counts handler calls.
#[derive(Debug, Default)]
pub struct SecureApi {
    calls: Arc<AtomicUsize>,
}

impl SecureApi {
    /// Registers `secure-api` (core and `rest`) into `builder`; returns it to read
    /// [`calls`](Self::calls).
    pub fn register(builder: &mut RegistryBuilder) -> Arc<Self> {
        let module = Arc::new(Self::default());
        builder.register_core_with_meta("secure-api", &[], module.clone());
        builder.register_rest_with_meta("secure-api", module.clone());
        module
    }

    /// How many times a handler ran.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[modkit::async_trait]
impl Module for SecureApi {
    async fn init(&self, ctx: &ModuleCtx) -> anyhow::Result<()> {
        ctx.client_hub()
            .register::<dyn CallerApi>(Arc::new(CallerFromContext));
        Ok(())
    }
}

impl RestApiCapability for SecureApi {
    fn register_rest(
        &self,
        ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let hub = ctx.client_hub();
        let whoami = move |calls: Arc<AtomicUsize>| {
            let hub = Arc::clone(&hub);
            move |caller: Option<SecurityContext>| {
                calls.fetch_add(1, Ordering::SeqCst);
                let via_hub = hub
                    .get::<dyn CallerApi>()
                    .ok()
                    .and_then(|api| api.caller_subject());
                async move {
                    Json(Whoami {
                        subject: caller.as_ref().map(|c| c.subject().to_owned()),
                        tenant: caller.as_ref().and_then(|c| c.tenant().map(str::to_owned)),
                        scopes: caller
                            .as_ref()
                            .map(|c| c.scopes().to_vec())
                            .unwrap_or_default(),
                        token_id: caller
                            .as_ref()
                            .and_then(|c| c.token_id().map(str::to_owned)),
                        subject_via_client_hub: via_hub,
                    })
                }
            }
        };
        let router = OperationBuilder::get("/secure/whoami")
            .operation_id("secure.whoami")
            .handler(whoami(Arc::clone(&self.calls)))
            .json_response::<Whoami>(StatusCode::OK, "The caller")
            .register(router, openapi);
        let router = OperationBuilder::get("/secure/admin")
            .operation_id("secure.admin")
            .require_scopes(["admin"])
            .handler(whoami(Arc::clone(&self.calls)))
            .json_response::<Whoami>(StatusCode::OK, "The caller, an admin")
            .register(router, openapi);
        let calls = Arc::clone(&self.calls);
        let router = OperationBuilder::get("/secure/editors")
            .operation_id("secure.editors")
            .require_roles(["editor"])
            .handler(move |caller: SecurityContext| {
                calls.fetch_add(1, Ordering::SeqCst);
                async move { Json(caller.roles().to_vec()) }
            })
            .json_response::<Vec<String>>(StatusCode::OK, "The caller's roles")
            .register(router, openapi);
        // A route added without an `OperationBuilder`: undocumented, so it needs a token.
        let router = router.route("/secure/raw", axum::routing::get(|| async { "raw" }));
        Ok(OperationBuilder::get("/secure/public")
            .operation_id("secure.public")
            .public()
            .handler(whoami(Arc::clone(&self.calls)))
            .json_response::<Whoami>(StatusCode::OK, "The caller, if any")
            .register(router, openapi))
    }
}
