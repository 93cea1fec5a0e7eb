//! The HTTP API: the only module that names axum. Routes are grouped per resource, each
//! with its own `router()`; the OpenAPI document is generated from the same handlers.

mod auth;
mod deliveries;
mod error;
mod events;
mod plugins;
mod subscriptions;
mod wire;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::dispatch::Dispatcher;
use crate::plugin::Limits;

pub use error::ErrorBody;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    pub dispatcher: Dispatcher,
    pub token: std::sync::Arc<str>,
    pub allow_http: bool,
    pub plugin_limits: Limits,
    pub rotation_overlap_ms: u64,
}

/// Request body limits.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    /// JSON bodies (events, subscriptions).
    pub json: usize,
    /// Plugin uploads.
    pub plugin: usize,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "hookshape", description = "A webhook dispatcher with WebAssembly plugins."),
    modifiers(&BearerAuth),
    tags(
        (name = "plugins", description = "WebAssembly components that reshape events"),
        (name = "subscriptions", description = "Who receives which events, where and how"),
        (name = "events", description = "Publishing change events"),
        (name = "deliveries", description = "Deliveries and their attempts"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole API, with `/openapi.json` and `/healthz` (no token).
pub fn router(state: AppState, limits: BodyLimits) -> Router {
    let (api, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(plugins::router().layer(DefaultBodyLimit::max(limits.plugin)))
        .merge(subscriptions::router())
        .merge(events::router())
        .merge(deliveries::router())
        .split_for_parts();
    let doc = std::sync::Arc::new(doc);
    Router::new()
        .route(
            "/healthz",
            get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(api.with_state(state))
        .layer(DefaultBodyLimit::max(limits.json))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .fallback(|| async {
            error::ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
        })
}
