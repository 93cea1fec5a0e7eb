//! Keeps only the configured fields of the object, in the default envelope.
//!
//! Config: `{"fields": ["id", "name.firstName", {"path": "email", "as": "contactEmail"}]}`.
//! A plain path keeps its nesting; `as` puts the value under a new top-level key.

use hookshape_sdk::json::{self, Field, Value};
use hookshape_sdk::{Event, Outcome, Plugin};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    fields: Vec<Field>,
}

pub struct SelectFields {
    fields: Vec<Field>,
}

impl SelectFields {
    /// The reshaping itself, shared with native callers (the runtime benchmark).
    pub fn reshape(&self, event: &Event) -> Value {
        event.envelope(json::select(&event.object, &self.fields))
    }
}

impl Plugin for SelectFields {
    fn configure(config: Value) -> Result<Self, String> {
        let config: Config =
            serde_json::from_value(config).map_err(|e| format!("invalid config: {e}"))?;
        if config.fields.is_empty() {
            return Err("invalid config: `fields` must name at least one field".into());
        }
        Ok(SelectFields {
            fields: config.fields,
        })
    }

    fn transform(&self, event: Event) -> Result<Outcome, String> {
        Ok(Outcome::json(&self.reshape(&event)))
    }
}

hookshape_sdk::export_plugin!(SelectFields);

#[cfg(test)]
mod tests {
    use super::*;
    use hookshape_sdk::json::json;

    #[test]
    fn keeps_renames_and_skips_missing() {
        let p = SelectFields::configure(
            json!({"fields": ["id", "name.first", {"path": "email", "as": "mail"}, "nope"]}),
        )
        .unwrap();
        let e = Event::sample(
            "member.updated",
            json!({"id": 7, "name": {"first": "A", "last": "B"}, "email": "a@b", "x": 1}),
            None,
        );
        assert_eq!(
            p.reshape(&e).to_string(),
            r#"{"type":"member.updated","timestamp":"2024-11-08T21:49:46.733Z","data":{"id":7,"name":{"first":"A"},"mail":"a@b"}}"#
        );
    }

    #[test]
    fn rejects_bad_configs() {
        assert!(SelectFields::configure(json!({})).is_err());
        assert!(SelectFields::configure(json!({"fields": []})).is_err());
        assert!(SelectFields::configure(json!({"fields": ["a..b"]})).is_err());
        assert!(SelectFields::configure(json!({"fields": ["a"], "extra": 1})).is_err());
    }
}
