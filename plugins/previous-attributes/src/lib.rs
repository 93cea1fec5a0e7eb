//! OfficeRnD's notification shape:
//! `{"event", "eventType", "data": {"object", "previousAttributes"}, "createdAt"}`, where
//! `previousAttributes` holds the old values of the changed fields and appears on updates only.
//!
//! Config (optional): `{"parentField": "company"}` copies that field of the object to
//! `data.<parentField>` on subresource events (`company.paymentdetails.removed`).

use hookshape_sdk::json::{self, Map, Value};
use hookshape_sdk::{Event, Operation, Outcome, Plugin};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Config {
    parent_field: Option<String>,
}

pub struct PreviousAttributes {
    parent_field: Option<String>,
}

impl Plugin for PreviousAttributes {
    fn configure(config: Value) -> Result<Self, String> {
        let config: Config =
            serde_json::from_value(config).map_err(|e| format!("invalid config: {e}"))?;
        Ok(PreviousAttributes {
            parent_field: config.parent_field,
        })
    }

    fn transform(&self, mut event: Event) -> Result<Outcome, String> {
        let mut data = Map::new();
        let object = std::mem::take(&mut event.object);
        if event.operation() == Operation::Updated {
            let previous = match &event.previous {
                Some(p) => json::previous_attributes(&object, p),
                None => Map::new(),
            };
            data.insert("object".into(), object);
            data.insert("previousAttributes".into(), Value::Object(previous));
        } else {
            data.insert("object".into(), object);
        }
        let is_subresource = event.event_type.matches('.').count() >= 2;
        if let (Some(field), true) = (&self.parent_field, is_subresource)
            && let Some(parent) = data["object"].get(field).cloned()
        {
            data.insert(field.clone(), parent);
        }
        let mut out = Map::new();
        out.insert("event".into(), Value::String(event.id));
        out.insert("eventType".into(), Value::String(event.event_type));
        out.insert("data".into(), Value::Object(data));
        out.insert("createdAt".into(), Value::String(event.occurred_at));
        Ok(Outcome::json(&Value::Object(out)))
    }
}

hookshape_sdk::export_plugin!(PreviousAttributes);

#[cfg(test)]
mod tests {
    use super::*;
    use hookshape_sdk::json::json;

    fn body(p: &PreviousAttributes, e: Event) -> Value {
        match p.transform(e).unwrap() {
            Outcome::Deliver(d) => serde_json::from_str(&d.body).unwrap(),
            Outcome::Drop => panic!("dropped"),
        }
    }

    #[test]
    fn updates_carry_old_values_of_changed_fields_only() {
        let p = PreviousAttributes::configure(json!({})).unwrap();
        let e = Event::sample(
            "member.updated",
            json!({"_id": "m", "status": "active", "name": "Jo"}),
            Some(json!({"_id": "m", "status": "drop-in", "name": "Jo"})),
        );
        assert_eq!(
            body(&p, e)["data"],
            json!({"object": {"_id": "m", "status": "active", "name": "Jo"}, "previousAttributes": {"status": "drop-in"}})
        );
    }

    #[test]
    fn other_operations_have_no_previous_attributes() {
        let p = PreviousAttributes::configure(json!({"parentField": "company"})).unwrap();
        let e = Event::sample(
            "company.paymentdetails.removed",
            json!({"_id": "p", "company": "c1"}),
            None,
        );
        let b = body(&p, e);
        assert_eq!(
            b["data"],
            json!({"object": {"_id": "p", "company": "c1"}, "company": "c1"})
        );
        let keys: Vec<_> = b.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["event", "eventType", "data", "createdAt"]);
    }
}
