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

/// What the catalog says about publishing one type: its compiled schema, if any, and
/// whether its objects are snapshotted (with their key path).
#[derive(Default)]
pub struct TypeRules {
    validator: Option<jsonschema::Validator>,
    pub snapshot: bool,
    pub snapshot_key: Option<String>,
}

impl TypeRules {
    /// Checks an event's object against the schema, if there is one.
    pub fn check(&self, object: &Value) -> Result<(), SchemaProblem> {
        match &self.validator {
            Some(v) => problems(v, object),
            None => Ok(()),
        }
    }
}

/// The rules of the types published to, by workspace and type.
#[derive(Default)]
pub struct SchemaCache {
    rules: Mutex<HashMap<(String, String), Arc<TypeRules>>>,
}

impl std::fmt::Debug for SchemaCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SchemaCache")
    }
}

impl SchemaCache {
    /// The catalog's rules for publishing `event_type` into `workspace`.
    pub async fn rules(
        &self,
        store: &Store,
        workspace: &str,
        event_type: &str,
    ) -> Result<Arc<TypeRules>, StoreError> {
        let key = (workspace.to_owned(), event_type.to_owned());
        if let Some(r) = lock(&self.rules).get(&key).cloned() {
            return Ok(r);
        }
        let entry: Option<CatalogEntry> =
            store.effective_catalog_entry(workspace, event_type).await?;
        let rules = Arc::new(entry.map_or_else(TypeRules::default, |e| {
            TypeRules {
                validator: e
                    .schema
                    .as_ref()
                    .and_then(|s| jsonschema::validator_for(s).ok()),
                snapshot: e.snapshot,
                snapshot_key: e.snapshot_key,
            }
        }));
        let mut map = lock(&self.rules);
        // Bounded: a flood of distinct types must not grow it without end.
        if map.len() >= 10_000 {
            map.clear();
        }
        map.insert(key, rules.clone());
        Ok(rules)
    }

    /// The catalog changed: compile again on the next publish.
    pub fn clear(&self) {
        lock(&self.rules).clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
