//! `/v1/tokens`: API tokens with a role and, for most roles, one workspace (admin only).

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Administer, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path};
use super::wire::ListOut;
use super::wire_tenancy::{TokenIn, TokenOut};
use crate::model::{self, Role, TokenRecord, time};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
}

/// A new token: `hks_` and 32 random bytes (256 bits), URL-safe base64.
pub(super) fn new_token() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::random();
    format!(
        "hks_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Create a token. The token is in this response only; hookshape keeps its hash.
///
/// Needs `administer` (admin).
#[utoipa::path(post, path = "/v1/tokens", tag = "tokens",
    request_body = TokenIn,
    responses(
        (status = 201, body = TokenOut),
        (status = 422, body = ErrorBody, description = "invalid_name, workspace_required, workspace_not_allowed, unknown_workspace, invalid_expires_at"),
    ),
    security(("bearer" = [])))]
async fn create_token(
    _: Scope<Administer>,
    State(state): State<AppState>,
    Json(input): Json<TokenIn>,
) -> ApiResult<(StatusCode, Json<TokenOut>)> {
    let store = state.dispatcher.store();
    let role = Role::from(input.role);
    if input.name.trim().is_empty() || input.name.len() > 200 {
        return Err(ApiError::invalid(
            "invalid_name",
            "`name` must be 1 to 200 characters",
        ));
    }
    match (&input.workspace, role) {
        (None, r) if r.needs_workspace() => {
            return Err(ApiError::invalid(
                "workspace_required",
                format!("a {} token needs a `workspace`", r.as_str()),
            ));
        }
        (Some(_), Role::Admin) => {
            return Err(ApiError::invalid(
                "workspace_not_allowed",
                "admin tokens reach every workspace",
            ));
        }
        (Some(ws), _) if store.workspace(ws).await?.is_none() => {
            return Err(ApiError::invalid(
                "unknown_workspace",
                format!("no workspace `{ws}`"),
            ));
        }
        _ => {}
    }
    let now = time::now_ms();
    let expires_ms = match &input.expires_at {
        None => None,
        Some(text) => match time::parse_rfc3339(text) {
            Some(ms) if ms > now => Some(ms),
            _ => {
                return Err(ApiError::invalid(
                    "invalid_expires_at",
                    "`expiresAt` must be an RFC 3339 time in the future",
                ));
            }
        },
    };
    let token = new_token();
    let record = TokenRecord {
        id: model::new_id("tok"),
        name: input.name,
        role,
        workspace: input.workspace,
        created_ms: now,
        expires_ms,
        last_used_ms: None,
        hash: crate::sign::sha256_hex(token.as_bytes()),
        capabilities: None,
        session_id: None,
    };
    store.put_token(&record).await?;
    let mut out = TokenOut::from(record);
    out.token = Some(token);
    Ok((StatusCode::CREATED, Json(out)))
}

/// List tokens (never the tokens themselves).
///
/// Needs `administer` (admin).
#[utoipa::path(get, path = "/v1/tokens", tag = "tokens",
    responses((status = 200, body = ListOut<TokenOut>)), security(("bearer" = [])))]
async fn list_tokens(
    _: Scope<Administer>,
    State(state): State<AppState>,
) -> ApiResult<Json<ListOut<TokenOut>>> {
    let mut data: Vec<TokenOut> = state
        .dispatcher
        .store()
        .tokens()
        .await?
        .into_iter()
        // Portal sessions are listed by nobody: they end by expiry or `expire-all`.
        .filter(|t| t.capabilities.is_none())
        .map(TokenOut::from)
        .collect();
    data.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Json(ListOut {
        data,
        next_cursor: None,
    }))
}

/// Revoke a token: the next request with it is a 401.
///
/// Needs `administer` (admin).
#[utoipa::path(delete, path = "/v1/tokens/{id}", tag = "tokens",
    params(("id" = String, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn revoke_token(
    _: Scope<Administer>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if state.dispatcher.store().delete_token(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("token"))
    }
}
