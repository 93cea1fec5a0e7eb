//! Firm App's payload: `{"date", "events": [{"action", "schema", "docId", "docUpdatedDate",
//! "diff"}]}` where `diff` holds the changed fields with their new values, on updates only.
//! (With the `body-signature` scheme the host wraps it as `{"payload": …, "signature": …}`.)
//!
//! Config (all optional): `{"schema": "user", "idField": "_id", "updatedField": "updatedAt"}`.
//! `schema` defaults to the event's root resource, `idField` to `id` (then `_id`), and
//! `docUpdatedDate` falls back to the event time when `updatedField` is absent.

use hookshape_sdk::json::{self, Map, Value};
use hookshape_sdk::{Event, Operation, Outcome, Plugin};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Config {
    schema: Option<String>,
    id_field: Option<String>,
    updated_field: Option<String>,
}

pub struct Diff {
    config: Config,
}

impl Diff {
    /// One event item of the payload.
    pub fn item(&self, event: &Event) -> Map<String, Value> {
        let action = match event.operation() {
            Operation::Created => "create",
            Operation::Updated => "update",
            Operation::Deleted => "delete",
            Operation::Other => event.event_type.rsplit('.').next().unwrap_or_default(),
        };
        let schema = self
            .config
            .schema
            .clone()
            .unwrap_or_else(|| event.root_resource().to_owned());
        let id = match &self.config.id_field {
            Some(field) => json::get(&event.object, field),
            None => event.object.get("id").or_else(|| event.object.get("_id")),
        };
        let doc_id = match id {
            Some(Value::String(s)) => Value::String(s.clone()),
            Some(Value::Number(n)) => Value::String(n.to_string()),
            _ => Value::Null,
        };
        let updated = self
            .config
            .updated_field
            .as_deref()
            .and_then(|f| json::get(&event.object, f))
            .and_then(Value::as_str)
            .unwrap_or(&event.occurred_at);

        let mut item = Map::new();
        item.insert("action".into(), Value::String(action.to_owned()));
        item.insert("schema".into(), Value::String(schema));
        item.insert("docId".into(), doc_id);
        item.insert("docUpdatedDate".into(), Value::String(updated.to_owned()));
        if event.operation() == Operation::Updated {
            let diff = match &event.previous {
                Some(previous) => json::diff(&event.object, previous),
                None => Map::new(),
            };
            item.insert("diff".into(), Value::Object(diff));
        }
        item
    }
}

impl Plugin for Diff {
    fn configure(config: Value) -> Result<Self, String> {
        let config = serde_json::from_value(config).map_err(|e| format!("invalid config: {e}"))?;
        Ok(Diff { config })
    }

    fn transform(&self, event: Event) -> Result<Outcome, String> {
        let mut payload = Map::new();
        payload.insert("date".into(), Value::String(event.occurred_at.clone()));
        payload.insert(
            "events".into(),
            Value::Array(vec![Value::Object(self.item(&event))]),
        );
        Ok(Outcome::json(&Value::Object(payload)))
    }
}

hookshape_sdk::export_plugin!(Diff);

#[cfg(test)]
mod tests {
    use super::*;
    use hookshape_sdk::json::json;

    #[test]
    fn update_items_carry_the_diff() {
        let d = Diff::configure(json!({})).unwrap();
        let e = Event::sample(
            "user.updated",
            json!({"id": "ussampleuser1id", "name": "Sam Smith", "age": 3}),
            Some(json!({"id": "ussampleuser1id", "name": "Sam", "age": 3})),
        );
        assert_eq!(
            Value::Object(d.item(&e)).to_string(),
            r#"{"action":"update","schema":"user","docId":"ussampleuser1id","docUpdatedDate":"2024-11-08T21:49:46.733Z","diff":{"name":"Sam Smith"}}"#
        );
    }

    #[test]
    fn creates_and_deletes_have_no_diff() {
        let d = Diff::configure(json!({"schema": "person", "idField": "_id"})).unwrap();
        let e = Event::sample("user.deleted", json!({"_id": 12}), None);
        assert_eq!(
            Value::Object(d.item(&e)),
            json!({"action": "delete", "schema": "person", "docId": "12", "docUpdatedDate": "2024-11-08T21:49:46.733Z"})
        );
        assert!(Diff::configure(json!({"schema": 1})).is_err());
    }
}
