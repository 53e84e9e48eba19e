//! `probe-api`: a REST module whose operations exercise every way a request can fail.

use std::time::Duration;

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::{Json, Router};
use modkit::registry::RegistryBuilder;
use modkit::rest::{OperationBuilder, Problem};
use modkit::{Module, ModuleCtx, OpenApiRegistry, RestApiCapability};
use serde::{Deserialize, Serialize};

/// An item.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Item {
    /// Its id.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// Its size.
    pub size: u32,
}

/// What `POST /items` takes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct NewItem {
    /// The name.
    pub(crate) name: String,
    /// The size.
    pub(crate) size: u32,
}

/// `GET /items/{id}`'s path.
#[derive(Debug, Deserialize)]
pub(crate) struct ItemPath {
    /// The item id.
    pub(crate) id: u32,
}

/// `GET /items`'s query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct ListQuery {
    /// How many items at most.
    pub(crate) limit: Option<u32>,
}

/// The module: registers with core and `rest` capabilities.
#[derive(Debug, Default)]
pub struct ProbeApi;

impl ProbeApi {
    /// Registers `probe-api` (core and `rest`) into `builder`.
    pub fn register(builder: &mut RegistryBuilder) {
        let module = std::sync::Arc::new(Self);
        builder.register_core_with_meta("probe-api", &[], module.clone());
        builder.register_rest_with_meta("probe-api", module);
    }
}

#[modkit::async_trait]
impl Module for ProbeApi {
    async fn init(&self, _ctx: &ModuleCtx) -> anyhow::Result<()> {
        Ok(())
    }
}

impl RestApiCapability for ProbeApi {
    fn register_rest(
        &self,
        _ctx: &ModuleCtx,
        router: Router,
        openapi: &dyn OpenApiRegistry,
    ) -> anyhow::Result<Router> {
        let router = OperationBuilder::get("/items/{id}")
            .operation_id("probe.get_item")
            .summary("Get an item")
            .tag("probe")
            .path_param::<u32>("id", "The item id")
            .handler(|Path(path): Path<ItemPath>| async move {
                Json(Item {
                    id: path.id,
                    name: "thing".into(),
                    size: 1,
                })
            })
            .json_response::<Item>(StatusCode::OK, "The item")
            .problem_response(StatusCode::BAD_REQUEST, "The id is not a number")
            .register(router, openapi);
        let router = OperationBuilder::get("/items")
            .operation_id("probe.list_items")
            .summary("List items")
            .tag("probe")
            .query_params::<ListQuery>()
            .handler(|Query(query): Query<ListQuery>| async move {
                Json(Item {
                    id: query.limit.unwrap_or(0),
                    name: "first".into(),
                    size: 1,
                })
            })
            .json_response::<Item>(StatusCode::OK, "The first item")
            .register(router, openapi);
        let router = OperationBuilder::post("/items")
            .operation_id("probe.create_item")
            .summary("Create an item")
            .tag("probe")
            .json_request::<NewItem>("The new item")
            .handler(|Json(new): Json<NewItem>| async move {
                (
                    StatusCode::CREATED,
                    Json(Item {
                        id: 7,
                        name: new.name,
                        size: new.size,
                    }),
                )
            })
            .json_response::<Item>(StatusCode::CREATED, "The created item")
            .problem_response(StatusCode::UNPROCESSABLE_ENTITY, "A field is invalid")
            .register(router, openapi);
        let router = OperationBuilder::get("/panic")
            .operation_id("probe.panic")
            .handler(|| async {
                if std::hint::black_box(true) {
                    panic!("the handler's secret panic text");
                }
                "unreachable"
            })
            .empty_response(StatusCode::OK, "Never")
            .register(router, openapi);
        let router = OperationBuilder::get("/slow")
            .operation_id("probe.slow")
            .query_param::<u64>("ms", "How long to take")
            .handler(|Query(query): Query<SlowQuery>| async move {
                let took = tokio::time::sleep(Duration::from_millis(query.ms.unwrap_or(2_000)));
                match query.key {
                    Some(key) => {
                        let mut slow = SLOW_REQUESTS.subscribe();
                        SLOW_REQUESTS.send_modify(|state| state.arrived.push(key.clone()));
                        tokio::select! {
                            _ = slow.wait_for(|state| state.released.contains(&key)) => {}
                            () = took => {}
                        }
                    }
                    None => took.await,
                }
                "done"
            })
            .empty_response(StatusCode::OK, "Done, eventually")
            .register(router, openapi);
        let router = OperationBuilder::get("/fail")
            .operation_id("probe.fail")
            .handler(|| async {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "connection to db failed: password hunter2 rejected",
                )
            })
            .empty_response(StatusCode::OK, "Never")
            .register(router, openapi);
        let router = OperationBuilder::get("/conflict")
            .operation_id("probe.conflict")
            .handler(|| async { Problem::conflict("the name is taken") })
            .empty_response(StatusCode::OK, "Never")
            .problem_response(StatusCode::CONFLICT, "Always")
            .register(router, openapi);
        Ok(router)
    }
}

/// `GET /slow`'s query.
#[derive(Debug, Deserialize)]
pub(crate) struct SlowQuery {
    /// Milliseconds to take at most (2 s by default).
    pub(crate) ms: Option<u64>,
    /// A name for the request: [`ProbeApi::slow_request_arrived`] tells when it reached the
    /// handler and [`ProbeApi::release_slow_request`] lets it answer before `ms` is up.
    pub(crate) key: Option<String>,
}

/// Which keyed `/slow` requests reached the handler, and which were released.
#[derive(Debug, Default)]
struct SlowRequests {
    arrived: Vec<String>,
    released: Vec<String>,
}

static SLOW_REQUESTS: std::sync::LazyLock<tokio::sync::watch::Sender<SlowRequests>> =
    std::sync::LazyLock::new(|| tokio::sync::watch::Sender::new(SlowRequests::default()));

impl ProbeApi {
    /// Waits until a `GET /slow?key={key}` request is in its handler.
    pub async fn slow_request_arrived(key: &str) {
        let mut slow = SLOW_REQUESTS.subscribe();
        let _ = slow
            .wait_for(|state| state.arrived.iter().any(|arrived| arrived == key))
            .await;
    }

    /// Lets the `GET /slow?key={key}` request answer now.
    pub fn release_slow_request(key: &str) {
        SLOW_REQUESTS.send_modify(|state| state.released.push(key.to_owned()));
    }
}
