//! `/v1/plugins`: upload, list, show, delete.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::Admin;
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path};
use super::wire::{ListOut, PluginOut};
use crate::model::{PluginRecord, time};
use crate::plugin::WORLD;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list))
        .routes(routes!(show, delete))
}

/// Upload a plugin (the wasm component bytes). It is checked and precompiled; the same bytes
/// again return the same id.
#[utoipa::path(post, path = "/v1/plugins", tag = "plugins",
    request_body(content = Vec<u8>, content_type = "application/wasm"),
    responses(
        (status = 201, body = PluginOut, description = "stored"),
        (status = 200, body = PluginOut, description = "these bytes were stored before"),
        (status = 422, body = ErrorBody, description = "not a usable plugin: not_wasm, core_module, invalid_component, forbidden_import, wrong_world"),
    ),
    security(("bearer" = [])))]
async fn upload(
    _: Admin,
    State(state): State<AppState>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(StatusCode, Json<PluginOut>)> {
    let wasm = body?;
    let id = crate::sign::sha256_hex(&wasm);
    if let Some(existing) = state.dispatcher.store().plugin(&id)? {
        return Ok((StatusCode::OK, Json(existing.into())));
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
    };
    let stored = state.dispatcher.store().put_plugin(&record, &wasm)?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// List plugins.
#[utoipa::path(get, path = "/v1/plugins", tag = "plugins",
    responses((status = 200, body = ListOut<PluginOut>)), security(("bearer" = [])))]
async fn list(_: Admin, State(state): State<AppState>) -> ApiResult<Json<ListOut<PluginOut>>> {
    let data = state
        .dispatcher
        .store()
        .plugins()?
        .into_iter()
        .map(PluginOut::from)
        .collect();
    Ok(Json(ListOut {
        data,
        next_cursor: None,
    }))
}

/// Show one plugin.
#[utoipa::path(get, path = "/v1/plugins/{id}", tag = "plugins",
    params(("id" = String, Path, description = "plugin id")),
    responses((status = 200, body = PluginOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn show(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PluginOut>> {
    let record = state.dispatcher.store().plugin(&id)?;
    record
        .map(|p| Json(p.into()))
        .ok_or_else(|| ApiError::not_found("plugin"))
}

/// Delete a plugin no subscription uses.
#[utoipa::path(delete, path = "/v1/plugins/{id}", tag = "plugins",
    params(("id" = String, Path, description = "plugin id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "plugin_in_use"),
    ),
    security(("bearer" = [])))]
async fn delete(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let store = state.dispatcher.store();
    if store.plugin(&id)?.is_none() {
        return Err(ApiError::not_found("plugin"));
    }
    let users: Vec<String> = store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.plugin.as_ref().is_some_and(|p| p.id == id))
        .map(|s| s.id)
        .collect();
    if !users.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "plugin_in_use",
            format!("used by subscriptions: {}", users.join(", ")),
        ));
    }
    store.delete_plugin(&id)?;
    state.dispatcher.runtime().unload(&id);
    Ok(StatusCode::NO_CONTENT)
}
