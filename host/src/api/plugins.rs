//! `/v1/plugins`: upload, list, show, delete.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Read, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path, Query};
use super::wire::{ListOut, PluginOut, WasmBytes};
use crate::model::{PluginRecord, time};
use crate::plugin::WORLD;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    /// A name for the plugin, shown in lists (uploading the same bytes again renames it).
    name: Option<String>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list))
        .routes(routes!(show, delete))
}

/// Upload a plugin (the wasm component bytes). It is checked and precompiled; the same bytes
/// again return the same id.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/plugins", operation_id = "upload_plugin", tag = "plugins", params(UploadQuery),
    request_body(content = WasmBytes, content_type = "application/wasm"),
    responses(
        (status = 201, body = PluginOut, description = "stored"),
        (status = 200, body = PluginOut, description = "these bytes were stored before"),
        (status = 409, body = ErrorBody, description = "quota_exceeded"),
        (status = 422, body = ErrorBody, description = "not a usable plugin: not_wasm, core_module, invalid_component, forbidden_import, wrong_world"),
    ),
    security(("bearer" = [])))]
async fn upload(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Query(q): Query<UploadQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(StatusCode, Json<PluginOut>)> {
    let wasm = body?;
    let store = state.dispatcher.store();
    if q.name
        .as_ref()
        .is_some_and(|n| n.is_empty() || n.len() > 200)
    {
        return Err(ApiError::invalid(
            "invalid_name",
            "`name` must be 1 to 200 characters",
        ));
    }
    let id = crate::sign::sha256_hex(&wasm);
    if let Some(mut existing) = store.plugin_in(&scope.workspace, &id).await? {
        if q.name.is_some() && q.name != existing.name {
            existing.name = q.name;
            store.put_plugin_ref(&scope.workspace, &existing).await?;
        }
        return Ok((StatusCode::OK, Json(existing.into())));
    }
    let quota = state.quotas.max_plugins;
    if store.plugins_in(&scope.workspace).await?.len() >= quota {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "quota_exceeded",
            format!("the workspace holds its maximum of {quota} plugins"),
        ));
    }
    // Bytes stored before (by this or another workspace) are not compiled again.
    if let Some(mut shared) = store.plugin(&id).await? {
        shared.name = q.name;
        shared.created_ms = time::now_ms();
        store.put_plugin_ref(&scope.workspace, &shared).await?;
        return Ok((StatusCode::CREATED, Json(shared.into())));
    }
    let runtime = state.dispatcher.runtime().clone();
    let bytes = wasm.clone();
    let loaded = tokio::task::spawn_blocking(move || runtime.load(&bytes).map(|c| c.size))
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let size = loaded.map_err(|e| ApiError::invalid(e.code(), e.to_string()))?;
    let record = PluginRecord {
        id,
        size,
        world: WORLD.to_owned(),
        created_ms: time::now_ms(),
        name: None,
    };
    let mut stored = store.put_plugin(&record, &wasm).await?;
    stored.name = q.name;
    store.put_plugin_ref(&scope.workspace, &stored).await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// List plugins.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/plugins", operation_id = "list_plugins", tag = "plugins",
    responses((status = 200, body = ListOut<PluginOut>)), security(("bearer" = [])))]
async fn list(
    scope: Scope<Read>,
    State(state): State<AppState>,
) -> ApiResult<Json<ListOut<PluginOut>>> {
    let builtins = state
        .dispatcher
        .runtime()
        .builtins()
        .list()
        .map(PluginOut::from);
    let uploaded = state
        .dispatcher
        .store()
        .plugins_in(&scope.workspace)
        .await?
        .into_iter()
        .map(PluginOut::from);
    let data = builtins.chain(uploaded).collect();
    Ok(Json(ListOut {
        data,
        next_cursor: None,
    }))
}

/// Show one plugin.
///
/// Needs `read` (admin; manager or viewer of the workspace).
#[utoipa::path(get, path = "/v1/plugins/{id}", operation_id = "show_plugin", tag = "plugins",
    params(("id" = String, Path, description = "plugin id")),
    responses((status = 200, body = PluginOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn show(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PluginOut>> {
    if let Some(builtin) = state.dispatcher.runtime().builtins().get(&id) {
        return Ok(Json(builtin.into()));
    }
    let record = state
        .dispatcher
        .store()
        .plugin_in(&scope.workspace, &id)
        .await?;
    record
        .map(|p| Json(p.into()))
        .ok_or_else(|| ApiError::not_found("plugin"))
}

/// Delete a plugin no subscription uses.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(delete, path = "/v1/plugins/{id}", operation_id = "delete_plugin", tag = "plugins",
    params(("id" = String, Path, description = "plugin id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "plugin_in_use, builtin_plugin"),
    ),
    security(("bearer" = [])))]
async fn delete(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let store = state.dispatcher.store();
    if state.dispatcher.runtime().builtins().get(&id).is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "builtin_plugin",
            "built-in transforms come with the server and cannot be deleted",
        ));
    }
    if store.plugin_in(&scope.workspace, &id).await?.is_none() {
        return Err(ApiError::not_found("plugin"));
    }
    let users: Vec<String> = store
        .subscriptions_in(&scope.workspace)
        .await?
        .into_iter()
        // A candidate or a rollback target is a use too: promoting or rolling back to a
        // deleted plugin would fail every delivery.
        .filter(|s| {
            [
                s.plugin.as_ref(),
                s.candidate.as_ref().map(|c| &c.plugin),
                s.previous_plugin.as_ref(),
            ]
            .into_iter()
            .flatten()
            .any(|p| p.id == id)
        })
        .map(|s| s.id)
        .collect();
    if !users.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "plugin_in_use",
            format!("used by subscriptions: {}", users.join(", ")),
        ));
    }
    store.delete_plugin_ref(&scope.workspace, &id).await?;
    if store.plugin(&id).await?.is_none() {
        state.dispatcher.runtime().unload(&id);
    }
    Ok(StatusCode::NO_CONTENT)
}
