//! The HTTP API: the only module that names axum. Routes are grouped per resource, each
//! with its own `router()`; the OpenAPI document is generated from the same handlers.

mod auth;
mod candidates;
mod deliveries;
pub mod dev_receiver;
mod error;
mod event_types;
mod events;
mod health;
mod listen;
mod plugin_run;
mod plugins;
mod portal;
mod query;
mod rate;
mod schemas;
mod snapshots;
mod subscriptions;
mod tokens;
mod wire;
mod wire_catalog;
mod wire_tenancy;
mod workspaces;

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
    /// The operator's admin token from the configuration (not stored), if any.
    pub token: Option<std::sync::Arc<str>>,
    pub allow_http: bool,
    pub plugin_limits: Limits,
    pub rotation_overlap_ms: u64,
    pub quotas: Quotas,
    pub publish_rate: std::sync::Arc<rate::PublishRate>,
    /// Compiled schemas of the event-type catalog.
    pub schemas: std::sync::Arc<schemas::SchemaCache>,
    /// Largest object kept as a snapshot (`--snapshot-max-bytes`).
    pub snapshot_max_bytes: usize,
    /// The URL portal links point at (`--public-url`); else the request's host.
    pub public_url: Option<String>,
    /// The token `/metrics` takes besides an admin token (`--metrics-token`).
    pub metrics_token: Option<std::sync::Arc<str>>,
}

/// What one workspace may hold and do (defaults from the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    pub max_subscriptions: usize,
    pub max_plugins: usize,
    /// Events a second each workspace may publish (bursts of two seconds' worth); `None`:
    /// unlimited.
    pub publish_per_second: Option<u32>,
}

impl Quotas {
    /// The limiter of publish rates these quotas ask for.
    pub fn publish_rate(&self) -> std::sync::Arc<rate::PublishRate> {
        std::sync::Arc::new(rate::PublishRate::new(self.publish_per_second))
    }
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
        (name = "workspaces", description = "Customers' walled-off spaces (admin)"),
        (name = "tokens", description = "API tokens and their roles (admin)"),
        (name = "event-types", description = "The event-type catalog, with schemas and examples"),
        (name = "portal", description = "Links to the integrator portal, and who a token is"),
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

/// The request body the API takes (the listener converts its connections' bodies to it).
pub type Body = axum::body::Body;

/// The whole API as a service: routes, with `/v1/workspaces/{ws}/…` served by the same
/// handlers as the un-prefixed routes (which mean the token's workspace, or `default`).
pub type App =
    tower::util::MapRequest<Router, fn(axum::extract::Request) -> axum::extract::Request>;

/// The whole API, with `/openapi.json`, `/healthz` and `/readyz` (no token).
pub fn app(state: AppState, limits: BodyLimits) -> App {
    let rewrite: fn(axum::extract::Request) -> axum::extract::Request = auth::route_workspace;
    tower::ServiceExt::map_request(router(state, limits), rewrite)
}

/// The OpenAPI document served at `/openapi.json`, which the SDKs are generated from.
pub fn openapi_document() -> serde_json::Value {
    let (_, doc) = documented_routes(BodyLimits { json: 1, plugin: 1 }).split_for_parts();
    serde_json::to_value(served(doc)).unwrap_or(serde_json::Value::Null)
}

/// The document as served: the routes', with their workspace forms and error responses.
fn served(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    with_error_responses(with_workspace_routes(doc))
}

/// Every documented route, with its body limit.
fn documented_routes(limits: BodyLimits) -> OpenApiRouter<AppState> {
    let json_routes = OpenApiRouter::new()
        .merge(subscriptions::router())
        .merge(candidates::router())
        .merge(events::router())
        .merge(deliveries::router())
        .merge(workspaces::router())
        .merge(tokens::router())
        .merge(event_types::router())
        .merge(portal::router())
        .merge(listen::router())
        // Running a plugin takes an event: JSON-sized, whatever a plugin's size may be.
        .merge(plugin_run::router())
        .layer(DefaultBodyLimit::max(limits.json))
        .layer(too_large("a JSON body", limits.json, "--json-body-limit"));
    let plugin_routes = plugins::router()
        .layer(DefaultBodyLimit::max(limits.plugin))
        .layer(too_large("a plugin", limits.plugin, "--plugin-body-limit"));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(plugin_routes)
        .merge(json_routes)
}

fn router(state: AppState, limits: BodyLimits) -> Router {
    let (api, doc) = documented_routes(limits).split_for_parts();
    let doc = std::sync::Arc::new(served(doc));
    Router::new()
        .route("/healthz", get(health::healthz).with_state(state.clone()))
        .route("/readyz", get(health::readyz).with_state(state.clone()))
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(portal::pages().with_state(state.clone()))
        .route("/metrics", get(metrics).with_state(state.clone()))
        .merge(api.with_state(state))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        // Every answer carries an `x-request-id` (the caller's, or a new ULID) to quote.
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            NewRequestId,
        ))
        .fallback(|| async {
            error::ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
        })
        .method_not_allowed_fallback(|| async {
            error::ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method; see /openapi.json",
            )
        })
}

/// Makes request ids: ULIDs, sorting by time.
#[derive(Debug, Clone, Copy)]
struct NewRequestId;

impl tower_http::request_id::MakeRequestId for NewRequestId {
    fn make_request_id<B>(
        &mut self,
        _: &axum::http::Request<B>,
    ) -> Option<tower_http::request_id::RequestId> {
        axum::http::HeaderValue::from_str(&crate::model::new_ulid())
            .ok()
            .map(tower_http::request_id::RequestId::new)
    }
}

/// Prometheus metrics, for the metrics token (`--metrics-token`) or an admin token.
async fn metrics(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use subtle::ConstantTimeEq;
    let metrics_token = match (auth::bearer(&headers), &state.metrics_token) {
        (Some(given), Some(t)) => bool::from(given.as_bytes().ct_eq(t.as_bytes())),
        _ => false,
    };
    if !metrics_token {
        match auth::authenticate(&headers, &state).await {
            Ok(c) if c.role == crate::model::Role::Admin && c.capabilities.is_none() => {}
            Ok(_) => {
                return error::ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "metrics need the metrics token or an admin token",
                )
                .into_response();
            }
            Err(e) => return e.into_response(),
        }
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.dispatcher.metrics_text().await,
    )
        .into_response()
}

/// The operations of a path item.
fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

/// Answers a body over the limit with a `{code, detail}` naming the limit and its setting.
fn too_large(
    what: &'static str,
    limit: usize,
    flag: &'static str,
) -> tower::util::MapResponseLayer<
    impl Fn(axum::response::Response) -> axum::response::Response + Clone,
> {
    tower::util::MapResponseLayer::new(move |response: axum::response::Response| {
        if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
            axum::response::IntoResponse::into_response(error::ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("{what} may be at most {limit} bytes (the server's {flag})"),
            ))
        } else {
            response
        }
    })
}

/// Documents on every operation the errors the extractors answer for any route: 401 and 403
/// for the token, 400/413/415 (and 422) for a JSON body, 413 for an upload; and gives every
/// response a description.
fn with_error_responses(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            let body_types: Vec<String> = op
                .request_body
                .as_ref()
                .map(|b| b.content.keys().cloned().collect())
                .unwrap_or_default();
            let mut add = vec![
                (
                    "401",
                    "unauthorized: no token, or an unknown, revoked or expired one",
                ),
                (
                    "403",
                    "forbidden: the token's role lacks the right this operation needs",
                ),
            ];
            if body_types.iter().any(|t| t == "application/json") {
                add.extend([
                    ("400", "malformed_json"),
                    ("413", "body_too_large: over the server's --json-body-limit"),
                    (
                        "415",
                        "unsupported_media_type: send Content-Type: application/json",
                    ),
                    ("422", "invalid_body: the JSON does not fit the schema"),
                ]);
            } else if !body_types.is_empty() {
                add.push((
                    "413",
                    "body_too_large: over the server's --plugin-body-limit",
                ));
            }
            for (status, description) in add {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description));
            }
            for (status, response) in op.responses.responses.iter_mut() {
                if let RefOr::T(r) = response
                    && r.description.is_empty()
                {
                    r.description = match status.as_str() {
                        "200" => "OK",
                        "201" => "created",
                        "202" => "accepted",
                        "204" => "done; no body",
                        "404" => "not_found: no such resource in this workspace",
                        "409" => "conflict",
                        "412" => "etag_mismatch",
                        "422" => "invalid input; see `code`",
                        _ => "see `code`",
                    }
                    .to_owned();
                }
            }
        }
    }
    doc
}

/// Documents each workspace resource route a second time under `/v1/workspaces/{ws}` (the
/// form the URI rewrite serves), with its own operation id.
fn with_workspace_routes(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{Object, Required, Type};
    let scoped: Vec<(String, utoipa::openapi::PathItem)> = doc
        .paths
        .paths
        .iter()
        .filter_map(|(path, item)| {
            let tail = path.strip_prefix("/v1/")?;
            let resource = tail.split('/').next()?;
            auth::WORKSPACE_RESOURCES.contains(&resource).then(|| {
                let mut item = item.clone();
                for op in operations(&mut item) {
                    op.operation_id = op
                        .operation_id
                        .as_ref()
                        .map(|id| format!("{id}_in_workspace"));
                    let ws = ParameterBuilder::new()
                        .name("ws")
                        .parameter_in(ParameterIn::Path)
                        .required(Required::True)
                        .description(Some("workspace id"))
                        .schema(Some(Object::with_type(Type::String)))
                        .build();
                    op.parameters.get_or_insert_with(Vec::new).insert(0, ws);
                }
                (format!("/v1/workspaces/{{ws}}/{tail}"), item)
            })
        })
        .collect();
    doc.paths.paths.extend(scoped);
    doc
}
