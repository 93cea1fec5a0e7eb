//! A plugin to start from: copy this folder, rename the package in `Cargo.toml`, and edit
//! `transform`. Build with `cargo build --release --target wasm32-wasip2`.
//!
//! This one adds a configurable `source` field and the event id to the object, and drops
//! events whose object is marked `"internal": true`.

use hookshape_sdk::json::{Value, json};
use hookshape_sdk::{Event, Level, Outcome, Plugin, log};
use serde::Deserialize;

/// The plugin config, as set on the subscription (`{}` when none is set).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default = "default_source")]
    source: String,
}

fn default_source() -> String {
    "hookshape".into()
}

pub struct Template {
    source: String,
}

impl Plugin for Template {
    fn configure(config: Value) -> Result<Self, String> {
        let config: Config =
            serde_json::from_value(config).map_err(|e| format!("invalid config: {e}"))?;
        Ok(Template {
            source: config.source,
        })
    }

    fn transform(&self, event: Event) -> Result<Outcome, String> {
        if event.object.get("internal") == Some(&Value::Bool(true)) {
            log(Level::Info, "internal object: dropped");
            return Ok(Outcome::Drop);
        }
        let body = json!({
            "id": event.id,
            "type": event.event_type,
            "source": self.source,
            "data": event.object,
        });
        Ok(Outcome::json(&body))
    }
}

hookshape_sdk::export_plugin!(Template);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_the_object_with_its_source() {
        let p = Template::configure(json!({"source": "crm"})).unwrap();
        let out = p.transform(Event::sample("a.created", json!({"x": 1}), None));
        let Ok(Outcome::Deliver(d)) = out else {
            panic!("no delivery")
        };
        assert_eq!(
            d.body,
            r#"{"id":"evt_sample","type":"a.created","source":"crm","data":{"x":1}}"#
        );
    }
}
