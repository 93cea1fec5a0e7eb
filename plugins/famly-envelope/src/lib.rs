//! Famly's envelope: `{"requestId", "eventId", "siteSetId", "eventTime", "operation",
//! "objectType", "data"}`. `requestId` is the attempt id, new on every attempt (retries
//! included); `eventId` never changes; `siteSetId` is the event's tenant.
//!
//! Config (optional): `{"objectTypes": {"child": "Child", "billpayer": "BillPayer"}}` maps the
//! event's root resource to Famly's `objectType`; unmapped resources are capitalised.

use hookshape_sdk::json::{Map, Value};
use hookshape_sdk::{Event, Operation, Outcome, Plugin};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Config {
    #[serde(default)]
    object_types: BTreeMap<String, String>,
}

pub struct FamlyEnvelope {
    object_types: BTreeMap<String, String>,
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Plugin for FamlyEnvelope {
    fn configure(config: Value) -> Result<Self, String> {
        let config: Config =
            serde_json::from_value(config).map_err(|e| format!("invalid config: {e}"))?;
        Ok(FamlyEnvelope {
            object_types: config.object_types,
        })
    }

    fn transform(&self, mut event: Event) -> Result<Outcome, String> {
        let operation = match event.operation() {
            Operation::Created => "Created".to_owned(),
            Operation::Updated => "Updated".to_owned(),
            Operation::Deleted => "Deleted".to_owned(),
            Operation::Other => capitalise(event.event_type.rsplit('.').next().unwrap_or_default()),
        };
        let resource = event.root_resource();
        let object_type = self
            .object_types
            .get(resource)
            .cloned()
            .unwrap_or_else(|| capitalise(resource));
        let mut out = Map::new();
        out.insert("requestId".into(), Value::String(event.attempt_id.clone()));
        out.insert("eventId".into(), Value::String(event.id.clone()));
        out.insert(
            "siteSetId".into(),
            event.tenant.clone().map_or(Value::Null, Value::String),
        );
        out.insert(
            "eventTime".into(),
            Value::String(event.occurred_at_seconds()),
        );
        out.insert("operation".into(), Value::String(operation));
        out.insert("objectType".into(), Value::String(object_type));
        out.insert("data".into(), std::mem::take(&mut event.object));
        Ok(Outcome::json(&Value::Object(out)))
    }
}

hookshape_sdk::export_plugin!(FamlyEnvelope);

#[cfg(test)]
mod tests {
    use super::*;
    use hookshape_sdk::json::json;

    #[test]
    fn builds_the_envelope_in_famly_key_order() {
        let p = FamlyEnvelope::configure(json!({"objectTypes": {"child": "ChildEvent"}})).unwrap();
        let mut e = Event::sample("child.updated", json!({"childId": "c"}), None);
        e.tenant = Some("site".into());
        let Outcome::Deliver(d) = p.transform(e).unwrap() else {
            panic!("dropped")
        };
        assert_eq!(
            d.body,
            r#"{"requestId":"01HBZQ60T0E834D3KCE7P3TVF3","eventId":"evt_sample","siteSetId":"site","eventTime":"2024-11-08T21:49:46Z","operation":"Updated","objectType":"ChildEvent","data":{"childId":"c"}}"#
        );
    }

    #[test]
    fn unmapped_resources_are_capitalised() {
        let p = FamlyEnvelope::configure(json!({})).unwrap();
        let Outcome::Deliver(d) = p
            .transform(Event::sample("invoice.created", json!({}), None))
            .unwrap()
        else {
            panic!("dropped")
        };
        let v: Value = serde_json::from_str(&d.body).unwrap();
        assert_eq!(v["objectType"], "Invoice");
        assert_eq!(v["operation"], "Created");
        assert_eq!(v["siteSetId"], Value::Null);
    }
}
