//! Who may do what, decided here and nowhere else. Every `/v1` route takes a [`Scope`]
//! naming the right it needs; the extractor authenticates the bearer token, settles the
//! workspace the request acts in (the `/v1/workspaces/{ws}/…` prefix, else the token's own
//! workspace, else `default`) and checks the role. Handlers get the workspace and pass it
//! down; the store answers only within it.
//!
//! A resource in a workspace the token does not reach is a 404, as if it did not exist (ids
//! must not be probeable); a role without the right is a 403.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::ApiError;
use crate::model::{Capability, DEFAULT_WORKSPACE, Right, Role, time};

/// The workspace named by a `/v1/workspaces/{ws}/…` prefix (set when the URI is rewritten).
#[derive(Debug, Clone)]
pub struct PathWorkspace(pub String);

/// The caller, as its token says.
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: Role,
    /// The only workspace it reaches; `None`: all.
    pub workspace: Option<String>,
    /// A portal session's capabilities; `None`: an API token.
    pub capabilities: Option<Vec<Capability>>,
    pub expires_ms: Option<u64>,
    pub session_id: Option<String>,
}

/// The right a route needs, as a type.
pub trait Need: Send + Sync {
    const RIGHT: Right;
}

/// Reads a workspace's resources (admin, manager, viewer).
#[derive(Debug)]
pub struct Read;
/// Changes a workspace's resources (admin, manager).
#[derive(Debug)]
pub struct Manage;
/// Publishes events (admin, publisher).
#[derive(Debug)]
pub struct Publish;
/// Manages workspaces and tokens (admin).
#[derive(Debug)]
pub struct Administer;

impl Need for Read {
    const RIGHT: Right = Right::Read;
}
impl Need for Manage {
    const RIGHT: Right = Right::Manage;
}
impl Need for Publish {
    const RIGHT: Right = Right::Publish;
}
impl Need for Administer {
    const RIGHT: Right = Right::Administer;
}

/// Proof that the caller may do `N` in `workspace`, which exists.
#[derive(Debug)]
pub struct Scope<N> {
    pub workspace: String,
    pub caller: Caller,
    /// Whether the workspace was fixed by the route or the token (not defaulted).
    pub fixed: bool,
    _need: PhantomData<N>,
}

impl Scope<Publish> {
    /// The workspace an event goes to: the route's or the token's when fixed (an event
    /// asking for another is refused), else the one the event names, else `default`.
    pub fn publish_target(&self, asked: Option<&str>) -> Result<String, ApiError> {
        match asked {
            Some(ws) if self.fixed && ws != self.workspace => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "this request publishes to workspace `{}` only",
                    self.workspace
                ),
            )),
            Some(ws) => Ok(ws.to_owned()),
            None => Ok(self.workspace.clone()),
        }
    }
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
}

/// The token of `Authorization: Bearer <token>`, if the request has one.
pub(super) fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The caller behind the request's bearer token.
pub(super) async fn authenticate(
    headers: &axum::http::HeaderMap,
    state: &AppState,
) -> Result<Caller, ApiError> {
    let given = bearer(headers)
        .ok_or_else(|| unauthorized("send a token as `Authorization: Bearer <token>`"))?;
    if let Some(admin) = &state.token
        && bool::from(given.as_bytes().ct_eq(admin.as_bytes()))
    {
        return Ok(Caller {
            role: Role::Admin,
            workspace: None,
            capabilities: None,
            expires_ms: None,
            session_id: None,
        });
    }
    let store = state.dispatcher.store();
    let hash = crate::sign::sha256_hex(given.as_bytes());
    let record = store
        .token_by_hash(&hash)
        .await?
        .ok_or_else(|| unauthorized("unknown or revoked token"))?;
    let now = time::now_ms();
    if record.expires_ms.is_some_and(|e| e <= now) {
        return Err(unauthorized("the token has expired"));
    }
    if record
        .last_used_ms
        .is_none_or(|t| now.saturating_sub(t) > 60_000)
    {
        store.touch_token(&record.hash, now).await?;
    }
    Ok(Caller {
        role: record.role,
        workspace: record.workspace,
        capabilities: record.capabilities,
        expires_ms: record.expires_ms,
        session_id: record.session_id,
    })
}

/// The capability a portal session needs for a request (after the workspace prefix was
/// rewritten away); `None`: no session may make it.
fn capability_for(method: &axum::http::Method, path: &str) -> Option<Capability> {
    use axum::http::Method;
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(2).collect();
    let resource = *parts.first()?;
    match (method, resource, &parts[1..]) {
        (&Method::GET, "subscriptions", [_, "secret"]) => Some(Capability::ViewSecret),
        (
            &Method::GET,
            "me" | "subscriptions" | "deliveries" | "events" | "plugins" | "event-types",
            _,
        ) => Some(Capability::View),
        (&Method::POST, "subscriptions", [_, "secret", "rotate"]) => Some(Capability::ManageSecret),
        (&Method::POST, "subscriptions", [] | [_, "test"] | [_, "circuit", "close"])
        | (&Method::PATCH | &Method::DELETE, "subscriptions", [_]) => {
            Some(Capability::ManageSubscriptions)
        }
        (&Method::POST, "plugins", [] | [_, "run"]) | (&Method::DELETE, "plugins", [_]) => {
            Some(Capability::ManagePlugins)
        }
        (&Method::POST, "deliveries", [_, "retry"] | ["recover"]) => Some(Capability::Retry),
        _ => None,
    }
}

/// Refuses what a portal session's capabilities do not cover.
fn check_capability(parts: &Parts, caller: &Caller) -> Result<(), ApiError> {
    let Some(caps) = &caller.capabilities else {
        return Ok(());
    };
    match capability_for(&parts.method, parts.uri.path()) {
        Some(need) if caps.contains(&need) => Ok(()),
        Some(need) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "this portal session lacks the `{}` capability",
                need.as_str()
            ),
        )),
        None => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "a portal session may not make this request",
        )),
    }
}

impl<N: Need> FromRequestParts<AppState> for Scope<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = authenticate(&parts.headers, state).await?;
        let from_path = parts.extensions.get::<PathWorkspace>().map(|p| p.0.clone());
        let fixed = from_path.is_some() || caller.workspace.is_some();
        let workspace = from_path
            .or_else(|| caller.workspace.clone())
            .unwrap_or_else(|| DEFAULT_WORKSPACE.to_owned());
        if caller
            .workspace
            .as_ref()
            .is_some_and(|own| *own != workspace)
        {
            return Err(ApiError::not_found("workspace"));
        }
        if !caller.role.may(N::RIGHT) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "a {} token may not {} here",
                    caller.role.as_str(),
                    N::RIGHT.as_str()
                ),
            ));
        }
        check_capability(parts, &caller)?;
        if N::RIGHT != Right::Administer
            && state
                .dispatcher
                .store()
                .workspace(&workspace)
                .await?
                .is_none()
        {
            return Err(ApiError::not_found("workspace"));
        }
        Ok(Scope {
            workspace,
            caller,
            fixed,
            _need: PhantomData,
        })
    }
}

/// The resources served under `/v1/workspaces/{ws}/…` as well as `/v1/…`.
pub const WORKSPACE_RESOURCES: &[&str] = &[
    "subscriptions",
    "plugins",
    "events",
    "deliveries",
    "event-types",
    "portal-links",
];

/// Rewrites `/v1/workspaces/{ws}/{resource}…` to `/v1/{resource}…` with the workspace as a
/// request extension, so each resource's routes serve both forms.
pub fn route_workspace<B>(mut request: axum::http::Request<B>) -> axum::http::Request<B> {
    let path = request.uri().path();
    let Some(rest) = path.strip_prefix("/v1/workspaces/") else {
        return request;
    };
    let Some((ws, tail)) = rest.split_once('/') else {
        return request;
    };
    let resource = tail.split('/').next().unwrap_or_default();
    if ws.is_empty() || !WORKSPACE_RESOURCES.contains(&resource) {
        return request;
    }
    let ws = ws.to_owned();
    let mut rewritten = format!("/v1/{tail}");
    if let Some(query) = request.uri().query() {
        rewritten.push('?');
        rewritten.push_str(query);
    }
    if let Ok(uri) = rewritten.parse() {
        *request.uri_mut() = uri;
        request.extensions_mut().insert(PathWorkspace(ws));
    }
    request
}
