//! Drops every event unless a field of its object has one of the configured values; what
//! passes goes out unchanged in the default envelope.
//!
//! Config: `{"field": "status", "equals": "active"}` or `{"field": "status", "in": ["a", "b"]}`.

use hookshape_sdk::json::{Matcher, Value};
use hookshape_sdk::{Event, Outcome, Plugin};

pub struct Filter {
    matcher: Matcher,
}

impl Plugin for Filter {
    fn configure(config: Value) -> Result<Self, String> {
        let matcher = serde_json::from_value(config).map_err(|e| format!("invalid config: {e}"))?;
        Ok(Filter { matcher })
    }

    fn transform(&self, mut event: Event) -> Result<Outcome, String> {
        if !self.matcher.matches(&event.object) {
            return Ok(Outcome::Drop);
        }
        let data = std::mem::take(&mut event.object);
        Ok(Outcome::json(&event.envelope(data)))
    }
}

hookshape_sdk::export_plugin!(Filter);

#[cfg(test)]
mod tests {
    use super::*;
    use hookshape_sdk::json::json;

    #[test]
    fn passes_matching_and_drops_the_rest() {
        let f = Filter::configure(json!({"field": "status", "in": ["active", "trial"]})).unwrap();
        let pass = f.transform(Event::sample("m.updated", json!({"status": "trial"}), None));
        assert!(matches!(pass, Ok(Outcome::Deliver(_))));
        let drop = f.transform(Event::sample("m.updated", json!({"status": "gone"}), None));
        assert_eq!(drop, Ok(Outcome::Drop));
        let missing = f.transform(Event::sample("m.updated", json!({}), None));
        assert_eq!(missing, Ok(Outcome::Drop));
    }

    #[test]
    fn rejects_bad_configs() {
        assert!(Filter::configure(json!({})).is_err());
        assert!(Filter::configure(json!({"field": "a", "equals": 1, "in": [1]})).is_err());
        assert!(Filter::configure(json!({"field": "a", "in": []})).is_err());
    }
}
