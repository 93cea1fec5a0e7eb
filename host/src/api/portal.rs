//! The integrator portal: links that open it with a short-lived session token, the page
//! itself (embedded in the binary), and `/v1/me`, which tells a token what it may do.
//!
//! A session is a token of the `manager` role fixed to one workspace, with capabilities: the
//! extractor in `auth` refuses any request its capabilities do not cover, so the page holds
//! no privilege the API would not grant.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Scope, authenticate};
use super::error::{ApiError, ApiResult, ErrorBody, Json};
use super::wire_catalog::{
    CapabilityIo, ExpireAllIn, ExpiredOut, MeOut, PortalLinkIn, PortalLinkOut,
};
use crate::model::{self, Capability, DEFAULT_WORKSPACE, Role, TokenRecord, time};

const DEFAULT_EXPIRY_S: u64 = 3600;
const MAX_EXPIRY_S: u64 = 7 * 24 * 3600;
const MIN_EXPIRY_S: u64 = 1;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_link))
        .routes(routes!(expire_all))
        .routes(routes!(me))
}

/// The portal's pages, served by the binary itself.
pub fn pages() -> axum::Router<AppState> {
    ASSETS.iter().fold(
        axum::Router::new(),
        |router, &(path, body, content_type)| {
            router.route(
                path,
                axum::routing::get(move || async move { asset(body, content_type) }),
            )
        },
    )
}

const HTML: &str = "text/html; charset=utf-8";
const SCRIPT: &str = "text/javascript; charset=utf-8";
const PAGE: &str = include_str!("../../portal/index.html");

/// Each file of the page: where it is served, its content and its type. The page loads
/// `lib.js` (helpers without state), then the pages' scripts (the catalog, deliveries, the
/// source editor's examples, the plugin playground), then `app.js`, which calls them.
const ASSETS: &[(&str, &str, &str)] = &[
    ("/portal", PAGE, HTML),
    ("/portal/", PAGE, HTML),
    (
        "/portal/lib.js",
        include_str!("../../portal/lib.js"),
        SCRIPT,
    ),
    (
        "/portal/examples.js",
        include_str!("../../portal/examples.js"),
        SCRIPT,
    ),
    (
        "/portal/event_types.js",
        include_str!("../../portal/event_types.js"),
        SCRIPT,
    ),
    (
        "/portal/deliveries.js",
        include_str!("../../portal/deliveries.js"),
        SCRIPT,
    ),
    (
        "/portal/playground.js",
        include_str!("../../portal/playground.js"),
        SCRIPT,
    ),
    (
        "/portal/app.js",
        include_str!("../../portal/app.js"),
        SCRIPT,
    ),
    (
        "/portal/app.css",
        include_str!("../../portal/app.css"),
        "text/css; charset=utf-8",
    ),
    (
        "/portal/favicon.svg",
        include_str!("../../portal/favicon.svg"),
        "image/svg+xml",
    ),
];

/// Only the page's own script and style; images also from https (a SaaS's logo); embeddable
/// anywhere (a SaaS frames it); no referrer.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; \
    connect-src 'self'; form-action 'none'; frame-ancestors *; base-uri 'none'";

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    (StatusCode::OK, headers, body).into_response()
}

/// Where links point: the configured public URL, else the host the request came to.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Create a portal link for a workspace: a URL that opens the portal with a short-lived
/// session limited to `capabilities`.
///
/// Needs `manage` (admin; manager of the workspace) and an API token (a session cannot make
/// links). Use it as `/v1/workspaces/{ws}/portal-links`.
#[utoipa::path(post, path = "/v1/portal-links", tag = "portal",
    request_body = PortalLinkIn,
    responses(
        (status = 201, body = PortalLinkOut),
        (status = 422, body = ErrorBody, description = "invalid_expiry, invalid_session_id"),
    ),
    security(("bearer" = [])))]
async fn create_link(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(input): Json<PortalLinkIn>,
) -> ApiResult<(StatusCode, Json<PortalLinkOut>)> {
    not_a_session(&scope)?;
    let expires_in = input.expires_in.unwrap_or(DEFAULT_EXPIRY_S);
    if !(MIN_EXPIRY_S..=MAX_EXPIRY_S).contains(&expires_in) {
        return Err(ApiError::invalid(
            "invalid_expiry",
            format!("`expiresIn` must be {MIN_EXPIRY_S} to {MAX_EXPIRY_S} seconds"),
        ));
    }
    if input
        .session_id
        .as_ref()
        .is_some_and(|s| s.is_empty() || s.len() > 200)
    {
        return Err(ApiError::invalid(
            "invalid_session_id",
            "`sessionId` must be 1 to 200 characters",
        ));
    }
    let mut capabilities: Vec<Capability> = match input.capabilities {
        Some(list) => list.into_iter().map(Capability::from).collect(),
        None => Capability::ALL.to_vec(),
    };
    capabilities.push(Capability::View);
    capabilities.sort_by_key(|c| Capability::ALL.iter().position(|a| a == c));
    capabilities.dedup();
    let store = state.dispatcher.store();
    let now = time::now_ms();
    sweep_expired(&state, &scope.workspace, now).await?;
    let token = super::tokens::new_token();
    let expires_ms = now + expires_in * 1000;
    store
        .put_token(&TokenRecord {
            id: model::new_id("psn"),
            name: "portal session".into(),
            role: Role::Manager,
            workspace: Some(scope.workspace.clone()),
            created_ms: now,
            expires_ms: Some(expires_ms),
            last_used_ms: None,
            hash: crate::sign::sha256_hex(token.as_bytes()),
            capabilities: Some(capabilities.clone()),
            session_id: input.session_id.clone(),
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PortalLinkOut {
            url: format!("{}/portal#{token}", base_url(&state, &headers)),
            token,
            expires_at: time::rfc3339_ms(expires_ms),
            capabilities: capabilities.into_iter().map(CapabilityIo::from).collect(),
            session_id: input.session_id,
        }),
    ))
}

fn not_a_session(scope: &Scope<Manage>) -> ApiResult<()> {
    if scope.caller.capabilities.is_some() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "a portal session cannot manage portal links",
        ));
    }
    Ok(())
}

/// Removes the workspace's sessions that have expired.
async fn sweep_expired(state: &AppState, ws: &str, now: u64) -> ApiResult<()> {
    let store = state.dispatcher.store();
    for t in store.tokens().await? {
        if t.capabilities.is_some()
            && t.workspace.as_deref() == Some(ws)
            && t.expires_ms.is_some_and(|e| e <= now)
        {
            store.delete_token(&t.id).await?;
        }
    }
    Ok(())
}

/// End portal sessions of a workspace now: all, or those with the given `sessionIds`.
///
/// Needs `manage` (admin; manager of the workspace). Use it as
/// `/v1/workspaces/{ws}/portal-links/expire-all`.
#[utoipa::path(post, path = "/v1/portal-links/expire-all", tag = "portal",
    request_body = ExpireAllIn,
    responses((status = 200, body = ExpiredOut)),
    security(("bearer" = [])))]
async fn expire_all(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Json(input): Json<ExpireAllIn>,
) -> ApiResult<Json<ExpiredOut>> {
    not_a_session(&scope)?;
    let store = state.dispatcher.store();
    let mut expired = 0;
    for t in store.tokens().await? {
        let chosen = match (&input.session_ids, &t.session_id) {
            (None, _) => true,
            (Some(ids), Some(id)) => ids.contains(id),
            (Some(_), None) => false,
        };
        if t.capabilities.is_some() && t.workspace.as_deref() == Some(&scope.workspace) && chosen {
            expired += usize::from(store.delete_token(&t.id).await?);
        }
    }
    Ok(Json(ExpiredOut { expired }))
}

/// The caller: its role, workspace, what it may do and until when.
///
/// Needs `any token` (any role, and portal sessions).
#[utoipa::path(get, path = "/v1/me", tag = "portal",
    responses((status = 200, body = MeOut)), security(("bearer" = [])))]
async fn me(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<MeOut>> {
    let caller = authenticate(&headers, &state).await?;
    let capabilities = match &caller.capabilities {
        Some(caps) => caps.clone(),
        None => match caller.role {
            Role::Admin | Role::Manager => Capability::ALL.to_vec(),
            Role::Viewer => vec![Capability::View],
            Role::Publisher => Vec::new(),
        },
    };
    let workspace = caller
        .workspace
        .clone()
        .unwrap_or_else(|| DEFAULT_WORKSPACE.to_owned());
    let store = state.dispatcher.store();
    let mut branding = crate::model::Branding::default();
    let mut next = Some(workspace.clone());
    // A site without a look of its own shows its organisation's.
    while let Some(id) = next.take() {
        let Some(ws) = store.workspace(&id).await? else {
            break;
        };
        if !ws.branding.is_empty() {
            branding = ws.branding;
            break;
        }
        next = ws.parent;
    }
    Ok(Json(MeOut {
        role: caller.role.into(),
        workspace,
        branding: super::wire_tenancy::BrandingIo::from(branding),
        capabilities: capabilities.into_iter().map(CapabilityIo::from).collect(),
        expires_at: caller.expires_ms.map(time::rfc3339_ms),
        session_id: caller.session_id,
    }))
}
