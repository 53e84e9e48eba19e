//! `JsonRoute<T>`: a REST module whose one operation is documented as answering `T`, for
//! tests of how response types become schemas.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::{Json, Router};
use modkit::registry::RegistryBuilder;
use modkit::rest::OperationBuilder;
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};

/// A REST module (`rest`) adding `GET <path>` as operation `<operation_id>`, documented as
/// answering `200` with a JSON `T` (it answers `[]`: only its documentation matters).
pub struct JsonRoute<T> {
    path: &'static str,
    operation_id: &'static str,
    _answers: PhantomData<fn() -> T>,
}

impl<T: utoipa::ToSchema + 'static> JsonRoute<T> {
    /// Registers the module as `name` (core and `rest`) into `builder`.
    pub fn register(
        name: &'static str,
        path: &'static str,
        operation_id: &'static str,
        builder: &mut RegistryBuilder,
    ) {
        let module = Arc::new(Self {
            path,
            operation_id,
            _answers: PhantomData,
        });
        builder.register_core_with_meta(name, &[], module.clone());
        builder.register_rest_with_meta(name, module);
    }
}

impl<T> fmt::Debug for JsonRoute<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonRoute")
            .field("path", &self.path)
            .field("answers", &std::any::type_name::<T>())
            .finish_non_exhaustive()
    }
}

#[modkit::async_trait]
impl<T: 'static> Module for JsonRoute<T> {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl<T: utoipa::ToSchema + 'static> RestApiCapability for JsonRoute<T> {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        Ok(OperationBuilder::get(self.path)
            .operation_id(self.operation_id)
            .handler(|| async { Json(serde_json::json!([])) })
            .json_response::<T>(StatusCode::OK, "the answer")
            .register(router, openapi))
    }
}
