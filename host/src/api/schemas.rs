//! JSON Schema checks of published objects against the catalog: the only module that names
//! `jsonschema`. Compiled validators are cached per workspace and type until the catalog
//! changes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::model::CatalogEntry;
use crate::store::{Store, StoreError};

/// Why a schema or an object was refused, for a `{code, detail}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem(pub String);

/// Compiles a schema, or says why it is not one.
pub fn check_schema(schema: &Value) -> Result<(), SchemaProblem> {
    jsonschema::validator_for(schema)
        .map(drop)
        .map_err(|e| SchemaProblem(e.to_string()))
}

/// Checks `value` against `schema` (which compiles): the first few problems, each with its
/// JSON pointer.
pub fn check_value(schema: &Value, value: &Value) -> Result<(), SchemaProblem> {
    let validator = jsonschema::validator_for(schema).map_err(|e| SchemaProblem(e.to_string()))?;
    problems(&validator, value)
}

fn problems(validator: &jsonschema::Validator, value: &Value) -> Result<(), SchemaProblem> {
    let found: Vec<String> = validator
        .iter_errors(value)
        .take(5)
        .map(|e| {
            let path = e.instance_path().to_string();
            let at = if path.is_empty() {
                "/".to_owned()
            } else {
                path
            };
            format!("at {at}: {e}")
        })
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(SchemaProblem(found.join("; ")))
    }
}

/// A type's compiled schema; `None`: it has none.
type Compiled = Option<Arc<jsonschema::Validator>>;

/// Validators of the types published to, by workspace and type.
#[derive(Default)]
pub struct SchemaCache {
    compiled: Mutex<HashMap<(String, String), Compiled>>,
}

impl std::fmt::Debug for SchemaCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SchemaCache")
    }
}

impl SchemaCache {
    /// Checks an event's object against its type's schema, if the catalog gives it one.
    pub async fn check(
        &self,
        store: &Store,
        workspace: &str,
        event_type: &str,
        object: &Value,
    ) -> Result<Result<(), SchemaProblem>, StoreError> {
        let key = (workspace.to_owned(), event_type.to_owned());
        let cached = lock(&self.compiled).get(&key).cloned();
        let validator = match cached {
            Some(v) => v,
            None => {
                let entry = store.effective_catalog_entry(workspace, event_type).await?;
                let v = entry
                    .and_then(|e: CatalogEntry| e.schema)
                    .and_then(|s| jsonschema::validator_for(&s).ok())
                    .map(Arc::new);
                let mut map = lock(&self.compiled);
                // Bounded: a flood of distinct types must not grow it without end.
                if map.len() >= 10_000 {
                    map.clear();
                }
                map.insert(key, v.clone());
                v
            }
        };
        Ok(match validator {
            Some(v) => problems(&v, object),
            None => Ok(()),
        })
    }

    /// The catalog changed: compile again on the next publish.
    pub fn clear(&self) {
        lock(&self.compiled).clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
