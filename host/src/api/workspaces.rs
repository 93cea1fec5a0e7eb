//! `/v1/workspaces`: the customers' walled-off spaces (admin only).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Administer, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path, Query};
use super::wire::ListOut;
use super::wire_tenancy::{WorkspaceIn, WorkspaceOut, WorkspacePatch};
use crate::model::{self, DEFAULT_WORKSPACE, Workspace, time, valid_workspace_id};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_workspace, list_workspaces))
        .routes(routes!(show_workspace, update_workspace, delete_workspace))
}

async fn check_parent(state: &AppState, id: &str, parent: Option<&str>) -> ApiResult<()> {
    let Some(parent) = parent else { return Ok(()) };
    if id == DEFAULT_WORKSPACE {
        return Err(ApiError::invalid(
            "invalid_parent",
            "the default workspace has no parent",
        ));
    }
    if parent == id {
        return Err(ApiError::invalid(
            "invalid_parent",
            "a workspace cannot be its own parent",
        ));
    }
    let Some(found) = state.dispatcher.store().workspace(parent).await? else {
        return Err(ApiError::invalid(
            "unknown_workspace",
            format!("no workspace `{parent}`"),
        ));
    };
    // One level: an organisation and its sites. A parent with a parent would make routing
    // depend on a chain.
    if found.parent.is_some() {
        return Err(ApiError::invalid(
            "invalid_parent",
            format!("`{parent}` has a parent itself; workspaces nest one level deep"),
        ));
    }
    Ok(())
}

fn check_name(name: &str) -> ApiResult<()> {
    if name.trim().is_empty() || name.len() > 200 {
        return Err(ApiError::invalid(
            "invalid_name",
            "`name` must be 1 to 200 characters",
        ));
    }
    Ok(())
}

/// Create a workspace.
///
/// Needs `administer` (admin).
#[utoipa::path(post, path = "/v1/workspaces", tag = "workspaces",
    request_body = WorkspaceIn,
    responses(
        (status = 201, body = WorkspaceOut),
        (status = 409, body = ErrorBody, description = "workspace_exists"),
        (status = 422, body = ErrorBody, description = "invalid_workspace_id, invalid_name, invalid_parent, unknown_workspace, invalid_branding"),
    ),
    security(("bearer" = [])))]
async fn create_workspace(
    _: Scope<Administer>,
    State(state): State<AppState>,
    Json(input): Json<WorkspaceIn>,
) -> ApiResult<(StatusCode, Json<WorkspaceOut>)> {
    let id = input.id.unwrap_or_else(|| model::new_id("wksp"));
    if !valid_workspace_id(&id) {
        return Err(ApiError::invalid(
            "invalid_workspace_id",
            "`id` must be 1 to 64 letters, digits, `_` or `-`",
        ));
    }
    check_name(&input.name)?;
    check_parent(&state, &id, input.parent.as_deref()).await?;
    let branding: model::Branding = input.branding.unwrap_or_default().into();
    check_branding(&branding)?;
    let now = time::now_ms();
    let ws = Workspace {
        id,
        name: input.name,
        parent: input.parent,
        metadata: input.metadata,
        branding,
        created_ms: now,
        updated_ms: now,
    };
    if !state.dispatcher.store().create_workspace(&ws).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "workspace_exists",
            format!("a workspace `{}` exists", ws.id),
        ));
    }
    Ok((StatusCode::CREATED, Json(ws.into())))
}

/// List workspaces.
///
/// Needs `administer` (admin).
#[utoipa::path(get, path = "/v1/workspaces", tag = "workspaces",
    responses((status = 200, body = ListOut<WorkspaceOut>)), security(("bearer" = [])))]
async fn list_workspaces(
    _: Scope<Administer>,
    State(state): State<AppState>,
) -> ApiResult<Json<ListOut<WorkspaceOut>>> {
    let data = state
        .dispatcher
        .store()
        .workspaces()
        .await?
        .into_iter()
        .map(WorkspaceOut::from)
        .collect();
    Ok(Json(ListOut {
        data,
        next_cursor: None,
    }))
}

/// Show a workspace.
///
/// Needs `administer` (admin).
#[utoipa::path(get, path = "/v1/workspaces/{ws}", tag = "workspaces",
    params(("ws" = String, Path, description = "workspace id")),
    responses((status = 200, body = WorkspaceOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn show_workspace(
    _: Scope<Administer>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<WorkspaceOut>> {
    state
        .dispatcher
        .store()
        .workspace(&id)
        .await?
        .map(|w| Json(w.into()))
        .ok_or_else(|| ApiError::not_found("workspace"))
}

/// Change a workspace's name, parent or metadata.
///
/// Needs `administer` (admin).
#[utoipa::path(patch, path = "/v1/workspaces/{ws}", tag = "workspaces",
    params(("ws" = String, Path, description = "workspace id")),
    request_body = WorkspacePatch,
    responses(
        (status = 200, body = WorkspaceOut),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_name, invalid_parent, unknown_workspace, invalid_branding"),
    ),
    security(("bearer" = [])))]
async fn update_workspace(
    _: Scope<Administer>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(patch): Json<WorkspacePatch>,
) -> ApiResult<Json<WorkspaceOut>> {
    let store = state.dispatcher.store();
    let mut ws = store
        .workspace(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("workspace"))?;
    if let Some(name) = patch.name {
        check_name(&name)?;
        ws.name = name;
    }
    if let Some(parent) = patch.parent {
        check_parent(&state, &id, parent.as_deref()).await?;
        let is_parent = store
            .workspaces()
            .await?
            .iter()
            .any(|w| w.parent.as_deref() == Some(&id));
        if parent.is_some() && is_parent {
            return Err(ApiError::invalid(
                "invalid_parent",
                "this workspace is a parent; workspaces nest one level deep",
            ));
        }
        ws.parent = parent;
    }
    if let Some(metadata) = patch.metadata {
        ws.metadata = metadata;
    }
    if let Some(branding) = patch.branding {
        let branding = branding.into();
        check_branding(&branding)?;
        ws.branding = branding;
    }
    ws.updated_ms = time::now_ms();
    store.put_workspace(&ws).await?;
    Ok(Json(ws.into()))
}

fn check_branding(branding: &model::Branding) -> ApiResult<()> {
    branding
        .check()
        .map_err(|e| ApiError::invalid("invalid_branding", e))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
struct DeleteQuery {
    /// Delete its subscriptions (their queued deliveries fail) and plugin references too.
    cascade: Option<bool>,
}

/// Delete a workspace (409 while it has subscriptions, unless `?cascade=true`).
///
/// Needs `administer` (admin).
#[utoipa::path(delete, path = "/v1/workspaces/{ws}", tag = "workspaces",
    params(("ws" = String, Path, description = "workspace id"), DeleteQuery),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "workspace_in_use, workspace_is_parent"),
        (status = 422, body = ErrorBody, description = "default_workspace"),
    ),
    security(("bearer" = [])))]
async fn delete_workspace(
    _: Scope<Administer>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> ApiResult<StatusCode> {
    let store = state.dispatcher.store();
    if id == DEFAULT_WORKSPACE {
        return Err(ApiError::invalid(
            "default_workspace",
            "the default workspace cannot be deleted",
        ));
    }
    if store.workspace(&id).await?.is_none() {
        return Err(ApiError::not_found("workspace"));
    }
    if store
        .workspaces()
        .await?
        .iter()
        .any(|w| w.parent.as_deref() == Some(&id))
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "workspace_is_parent",
            "other workspaces name this one as their parent",
        ));
    }
    let subs = store.subscription_ids_in(&id).await?;
    if !subs.is_empty() && q.cascade != Some(true) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "workspace_in_use",
            format!(
                "the workspace has {} subscriptions; delete them or pass ?cascade=true",
                subs.len()
            ),
        ));
    }
    for sub in subs {
        store.delete_subscription(&id, &sub).await?;
        state.dispatcher.unload(&sub).await?;
    }
    for token in store.tokens().await? {
        if token.workspace.as_deref() == Some(&id) {
            store.delete_token(&token.id).await?;
        }
    }
    store.delete_catalog_of(&id).await?;
    // A workspace made later with the same id must not inherit these objects' history.
    store
        .delete_snapshots_with_prefix(&crate::model::snapshot_prefix(&id))
        .await?;
    state.schemas.clear();
    store.delete_workspace(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
