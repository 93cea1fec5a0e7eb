//! `/v1/event-types`: the catalog integrators read — each type's meaning, an example, and the
//! JSON Schema its objects must match when published. A workspace sees the global entries
//! (an admin's, `?global=true`) and its own, which take their place by name.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
use super::auth::{Manage, Read, Scope};
use super::error::{ApiError, ApiResult, ErrorBody, Json, Path, Query};
use super::schemas;
use super::wire::ListOut;
use super::wire_catalog::{EventTypeIn, EventTypeOut, EventTypePatch, ImportOut};
use crate::model::{CatalogEntry, EventType, Role, time};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(show, update, remove))
        .routes(routes!(import))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GlobalQuery {
    /// Act on the global catalog (admin only) instead of the workspace's.
    #[serde(default)]
    global: bool,
}

/// The workspace a write goes to: `None` for the global catalog, which only an admin changes.
fn target(scope: &Scope<Manage>, global: bool) -> ApiResult<Option<String>> {
    if !global {
        return Ok(Some(scope.workspace.clone()));
    }
    if scope.caller.role != Role::Admin || scope.caller.capabilities.is_some() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only an admin token changes the global catalog",
        ));
    }
    Ok(None)
}

fn check_snapshot_key(key: Option<&str>) -> ApiResult<()> {
    match key {
        Some(k) if k.is_empty() || k.len() > 128 || k.split('.').any(str::is_empty) => {
            Err(ApiError::invalid(
                "invalid_snapshot_key",
                "`snapshotKey` must be a dotted path of 1 to 128 characters, such as `account.id`",
            ))
        }
        _ => Ok(()),
    }
}

/// The largest schema an event type may have, serialized (after an import's `$ref`s are
/// inlined): it is compiled into a validator and stored with the entry.
pub const MAX_SCHEMA_BYTES: usize = 256 << 10;
/// What one import may produce in all, with `$ref`s inlined.
pub const MAX_IMPORT_BYTES: usize = 2 << 20;
/// The most `$ref`s one import may follow.
pub const MAX_REFS: usize = 5_000;

fn check_entry(schema: Option<&Value>, example: Option<&Value>) -> ApiResult<()> {
    if let Some(schema) = schema {
        if schema == &Value::Bool(false) {
            return Err(ApiError::invalid(
                "invalid_schema",
                "`false` refuses every event: leave the schema out to accept any object",
            ));
        }
        if serde_json::to_vec(schema).map_or(usize::MAX, |b| b.len()) > MAX_SCHEMA_BYTES {
            return Err(too_large());
        }
        schemas::check_schema(schema).map_err(|p| {
            ApiError::invalid("invalid_schema", format!("not a JSON Schema: {}", p.0))
        })?;
        if let Some(example) = example {
            schemas::check_value(schema, example).map_err(|p| {
                ApiError::invalid(
                    "example_mismatch",
                    format!("the example does not match the schema: {}", p.0),
                )
            })?;
        }
    }
    if example.is_some_and(|e| !e.is_object()) {
        return Err(ApiError::invalid(
            "invalid_example",
            "`example` must be an object, as an event's `object` is",
        ));
    }
    Ok(())
}

fn valid_name(name: &str) -> ApiResult<()> {
    EventType::parse(name)
        .map(drop)
        .map_err(|e| ApiError::invalid("invalid_event_type", e.to_string()))
}

/// Add an event type to the catalog.
///
/// Needs `manage` (admin, manager); `?global=true` needs an admin.
#[utoipa::path(post, path = "/v1/event-types", tag = "event-types",
    params(GlobalQuery),
    request_body = EventTypeIn,
    responses(
        (status = 201, body = EventTypeOut),
        (status = 409, body = ErrorBody, description = "event_type_exists"),
        (status = 422, body = ErrorBody, description = "invalid_event_type, invalid_schema, invalid_example, example_mismatch, invalid_snapshot_key"),
    ),
    security(("bearer" = [])))]
async fn create(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Query(q): Query<GlobalQuery>,
    Json(input): Json<EventTypeIn>,
) -> ApiResult<(StatusCode, Json<EventTypeOut>)> {
    let ws = target(&scope, q.global)?;
    valid_name(&input.name)?;
    check_entry(input.schema.as_ref(), input.example.as_ref())?;
    check_snapshot_key(input.snapshot_key.as_deref())?;
    let store = state.dispatcher.store();
    if store
        .catalog_entry(ws.as_deref(), &input.name)
        .await?
        .is_some()
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "event_type_exists",
            format!("`{}` is already in this catalog; PATCH it", input.name),
        ));
    }
    let now = time::now_ms();
    let entry = CatalogEntry {
        name: input.name,
        workspace: ws,
        description: input.description,
        schema: input.schema,
        example: input.example,
        deprecated: input.deprecated,
        snapshot: input.snapshot,
        snapshot_key: input.snapshot_key,
        created_ms: now,
        updated_ms: now,
    };
    store.put_catalog_entry(&entry).await?;
    state.schemas.clear();
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// The catalog as the workspace sees it: global entries and its own, by name.
///
/// Needs `read` (admin, manager, viewer).
#[utoipa::path(get, path = "/v1/event-types", tag = "event-types",
    responses((status = 200, body = ListOut<EventTypeOut>)), security(("bearer" = [])))]
async fn list(
    scope: Scope<Read>,
    State(state): State<AppState>,
) -> ApiResult<Json<ListOut<EventTypeOut>>> {
    let data = state
        .dispatcher
        .store()
        .catalog(&scope.workspace)
        .await?
        .into_iter()
        .map(EventTypeOut::from)
        .collect();
    Ok(Json(ListOut {
        data,
        next_cursor: None,
    }))
}

/// One event type as the workspace sees it.
///
/// Needs `read` (admin, manager, viewer).
#[utoipa::path(get, path = "/v1/event-types/{name}", tag = "event-types",
    params(("name" = String, Path, description = "The event type")),
    responses((status = 200, body = EventTypeOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn show(
    scope: Scope<Read>,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<EventTypeOut>> {
    state
        .dispatcher
        .store()
        .effective_catalog_entry(&scope.workspace, &name)
        .await?
        .map(|e| Json(e.into()))
        .ok_or_else(|| ApiError::not_found("event type"))
}

/// Change an event type (the workspace's own entry, or `?global=true` an admin's).
///
/// Needs `manage` (admin, manager).
#[utoipa::path(patch, path = "/v1/event-types/{name}", tag = "event-types",
    params(("name" = String, Path, description = "The event type"), GlobalQuery),
    request_body = EventTypePatch,
    responses(
        (status = 200, body = EventTypeOut),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_schema, invalid_example, example_mismatch, invalid_snapshot_key"),
    ),
    security(("bearer" = [])))]
async fn update(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<GlobalQuery>,
    Json(patch): Json<EventTypePatch>,
) -> ApiResult<Json<EventTypeOut>> {
    let ws = target(&scope, q.global)?;
    let store = state.dispatcher.store();
    let mut entry = store
        .catalog_entry(ws.as_deref(), &name)
        .await?
        .ok_or_else(|| ApiError::not_found("event type"))?;
    if let Some(d) = patch.description {
        entry.description = d;
    }
    if let Some(s) = patch.schema {
        entry.schema = s;
    }
    if let Some(e) = patch.example {
        entry.example = e;
    }
    if let Some(d) = patch.deprecated {
        entry.deprecated = d;
    }
    if let Some(s) = patch.snapshot {
        entry.snapshot = s;
    }
    if let Some(k) = patch.snapshot_key {
        entry.snapshot_key = k;
    }
    check_entry(entry.schema.as_ref(), entry.example.as_ref())?;
    check_snapshot_key(entry.snapshot_key.as_deref())?;
    entry.updated_ms = time::now_ms();
    store.put_catalog_entry(&entry).await?;
    state.schemas.clear();
    Ok(Json(entry.into()))
}

/// Remove an event type from the catalog (events of that type are still accepted).
///
/// Needs `manage` (admin, manager).
#[utoipa::path(delete, path = "/v1/event-types/{name}", tag = "event-types",
    params(("name" = String, Path, description = "The event type"), GlobalQuery),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn remove(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<GlobalQuery>,
) -> ApiResult<StatusCode> {
    let ws = target(&scope, q.global)?;
    if !state
        .dispatcher
        .store()
        .delete_catalog_entry(ws.as_deref(), &name)
        .await?
    {
        return Err(ApiError::not_found("event type"));
    }
    state.schemas.clear();
    Ok(StatusCode::NO_CONTENT)
}

/// Import the `webhooks` of an OpenAPI 3.1 document: each webhook's key is an event type,
/// its summary or description the description, its JSON request body schema the schema
/// (local `$ref`s inlined), its example the example. Existing entries are updated.
///
/// Needs `manage` (admin, manager); `?global=true` needs an admin.
#[utoipa::path(post, path = "/v1/event-types/import", tag = "event-types",
    params(GlobalQuery),
    request_body(content = Object, description = "An OpenAPI document with `webhooks`"),
    responses(
        (status = 200, body = ImportOut),
        (status = 422, body = ErrorBody, description = "invalid_openapi, invalid_event_type, invalid_schema"),
    ),
    security(("bearer" = [])))]
async fn import(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Query(q): Query<GlobalQuery>,
    Json(doc): Json<Value>,
) -> ApiResult<Json<ImportOut>> {
    let ws = target(&scope, q.global)?;
    let webhooks = doc
        .get("webhooks")
        .and_then(Value::as_object)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| {
            ApiError::invalid(
                "invalid_openapi",
                "the document has no `webhooks` object (OpenAPI 3.1)",
            )
        })?;
    let mut found = Vec::new();
    let mut budget = Budget::new();
    for (name, item) in webhooks {
        valid_name(name)?;
        let op = ["post", "put", "patch"]
            .iter()
            .find_map(|m| item.get(*m))
            .unwrap_or(item);
        let description = ["summary", "description"]
            .iter()
            .find_map(|k| op.get(*k).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned();
        let media = op.pointer("/requestBody/content/application~1json");
        let schema = media
            .and_then(|m| m.get("schema"))
            .map(|s| inline_refs(s, &doc, 0, &mut budget))
            .transpose()?;
        let example = media
            .and_then(|m| m.get("example"))
            .or_else(|| schema.as_ref().and_then(|s| s.get("example")))
            .cloned()
            .filter(Value::is_object);
        check_entry(schema.as_ref(), example.as_ref())
            .map_err(|e| ApiError::invalid(e.code, format!("webhook `{name}`: {}", e.detail)))?;
        found.push((name.clone(), description, schema, example));
    }
    let store = state.dispatcher.store();
    let now = time::now_ms();
    let (mut created, mut updated, mut data) = (0, 0, Vec::new());
    for (name, description, schema, example) in found {
        let entry = match store.catalog_entry(ws.as_deref(), &name).await? {
            Some(mut old) => {
                updated += 1;
                old.description = description;
                old.schema = schema;
                old.example = example;
                old.updated_ms = now;
                old
            }
            None => {
                created += 1;
                CatalogEntry {
                    name,
                    workspace: ws.clone(),
                    description,
                    schema,
                    example,
                    deprecated: false,
                    snapshot: false,
                    snapshot_key: None,
                    created_ms: now,
                    updated_ms: now,
                }
            }
        };
        store.put_catalog_entry(&entry).await?;
        data.push(entry.into());
    }
    state.schemas.clear();
    Ok(Json(ImportOut {
        created,
        updated,
        data,
    }))
}

/// Replaces `{"$ref": "#/…"}` with what it points at in the document, so the schema stands
/// alone; refs nested deeper than 64 (or cyclic) are refused.
fn inline_refs(schema: &Value, doc: &Value, depth: usize, budget: &mut Budget) -> ApiResult<Value> {
    if depth > 64 {
        return Err(ApiError::invalid(
            "invalid_openapi",
            "`$ref`s nest too deep (or form a cycle)",
        ));
    }
    budget.spend(8)?;
    Ok(match schema {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                budget.follow_ref()?;
                let pointer = target.strip_prefix('#').ok_or_else(|| {
                    ApiError::invalid(
                        "invalid_openapi",
                        format!("only local `$ref`s are followed, not `{target}`"),
                    )
                })?;
                let found = doc.pointer(pointer).ok_or_else(|| {
                    ApiError::invalid(
                        "invalid_openapi",
                        format!("`$ref` `{target}` points nowhere"),
                    )
                })?;
                return inline_refs(found, doc, depth + 1, budget);
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        budget.spend(k.len() + 4)?;
                        Ok((k.clone(), inline_refs(v, doc, depth + 1, budget)?))
                    })
                    .collect::<ApiResult<_>>()?,
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| inline_refs(v, doc, depth + 1, budget))
                .collect::<ApiResult<_>>()?,
        ),
        Value::String(text) => {
            budget.spend(text.len())?;
            schema.clone()
        }
        other => other.clone(),
    })
}

/// What inlining the `$ref`s of one import may produce, all its webhooks together: `$ref`s
/// that fan out level after level grow exponentially, so the bound is checked while
/// inlining, not after.
struct Budget {
    bytes_left: usize,
    refs_left: usize,
}

impl Budget {
    fn new() -> Self {
        Budget {
            bytes_left: MAX_IMPORT_BYTES,
            refs_left: MAX_REFS,
        }
    }

    fn spend(&mut self, bytes: usize) -> ApiResult<()> {
        self.bytes_left = self.bytes_left.checked_sub(bytes).ok_or_else(too_large)?;
        Ok(())
    }

    fn follow_ref(&mut self) -> ApiResult<()> {
        self.refs_left = self.refs_left.checked_sub(1).ok_or_else(|| {
            ApiError::invalid(
                "schema_too_large",
                format!("the document's schemas follow more than {MAX_REFS} `$ref`s"),
            )
        })?;
        Ok(())
    }
}

fn too_large() -> ApiError {
    ApiError::invalid(
        "schema_too_large",
        format!(
            "a schema is larger than {} KiB, or an import's schemas than {} MiB (with their `$ref`s inlined)",
            MAX_SCHEMA_BYTES >> 10,
            MAX_IMPORT_BYTES >> 20
        ),
    )
}
