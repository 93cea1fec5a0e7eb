//! Sends every event unchanged, in the host's default envelope
//! `{"type", "timestamp", "data"}` — the same body a subscription without a plugin gets.

use hookshape_sdk::json::Value;
use hookshape_sdk::{Event, Outcome, Plugin};

pub struct Passthrough;

impl Plugin for Passthrough {
    fn configure(_config: Value) -> Result<Self, String> {
        Ok(Passthrough)
    }

    fn transform(&self, mut event: Event) -> Result<Outcome, String> {
        let data = std::mem::take(&mut event.object);
        Ok(Outcome::json(&event.envelope(data)))
    }
}

hookshape_sdk::export_plugin!(Passthrough);

#[cfg(test)]
mod tests {
    use super::*;
    use hookshape_sdk::json::json;

    #[test]
    fn wraps_the_object_in_the_default_envelope() {
        let p = Passthrough::configure(json!({})).unwrap();
        let out = p
            .transform(Event::sample(
                "member.created",
                json!({"b": 1, "a": 2}),
                None,
            ))
            .unwrap();
        let Outcome::Deliver(d) = out else {
            panic!("dropped")
        };
        assert_eq!(
            d.body,
            r#"{"type":"member.created","timestamp":"2024-11-08T21:49:46.733Z","data":{"b":1,"a":2}}"#
        );
    }
}
