//! Each example plugin, run as a real component on the seeds' sample objects, with its exact
//! output asserted.

use hookshape::plugin::{Event, Limits, Outcome, PluginOptions};
use hookshape_tests::{plugin_bytes, seeds, shared_runtime};
use serde_json::{Value, json};

struct Call<'a> {
    plugin: &'a str,
    config: Value,
    event_type: &'a str,
    object: Value,
    previous: Option<Value>,
    tenant: Option<&'a str>,
    attempt_id: &'a str,
}

impl<'a> Call<'a> {
    fn new(plugin: &'a str, event_type: &'a str, object: Value) -> Self {
        Call {
            plugin,
            config: json!({}),
            event_type,
            object,
            previous: None,
            tenant: None,
            attempt_id: "01HBZQ60T0E834D3KCE7P3TVF3",
        }
    }

    fn run(&self) -> Outcome {
        let rt = shared_runtime();
        let code = rt.load(&plugin_bytes(self.plugin)).expect("load");
        let plugin = rt
            .prepare(
                code,
                &self.config.to_string(),
                Limits::default(),
                PluginOptions::default(),
            )
            .expect("prepare");
        let object = self.object.to_string();
        let previous = self.previous.as_ref().map(Value::to_string);
        let changed: Vec<String> = match (&self.object, &self.previous) {
            (Value::Object(now), Some(Value::Object(before))) => now
                .iter()
                .filter(|(k, v)| before.get(*k) != Some(*v))
                .map(|(k, _)| k.clone())
                .collect(),
            _ => Vec::new(),
        };
        let report = plugin.transform(&Event {
            id: "5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7",
            event_type: self.event_type,
            occurred_at: "2023-10-05T10:47:21.000Z",
            tenant: self.tenant,
            object: &object,
            previous: previous.as_deref(),
            changed_fields: &changed,
            attempt_id: self.attempt_id,
            attempt: 1,
        });
        report.result.expect("plugin call")
    }

    fn body(&self) -> String {
        match self.run() {
            Outcome::Deliver { body, headers } => {
                assert!(headers.is_empty());
                body
            }
            Outcome::Drop => panic!("{} dropped the event", self.plugin),
        }
    }
}

#[test]
fn passthrough_sends_the_default_envelope() {
    let body = Call::new(
        "passthrough",
        "child.updated",
        json!({"b": 1, "a": [1.5, "é"]}),
    )
    .body();
    assert_eq!(
        body,
        r#"{"type":"child.updated","timestamp":"2023-10-05T10:47:21.000Z","data":{"b":1,"a":[1.5,"é"]}}"#
    );
}

#[test]
fn select_fields_keeps_and_renames() {
    let mut call = Call::new("select-fields", "child.updated", seeds::famly_child());
    call.config = json!({"fields": ["childId", "name.firstName", {"path": "birthDay", "as": "born"}, "nope"]});
    assert_eq!(
        call.body(),
        r#"{"type":"child.updated","timestamp":"2023-10-05T10:47:21.000Z","data":{"childId":"be0ea60c-1191-4dd2-8629-81793b6b83c3","name":{"firstName":"API"},"born":"2022-11-02"}}"#
    );
}

#[test]
fn filter_passes_matches_and_drops_the_rest() {
    let mut call = Call::new("filter", "member.updated", seeds::officernd_member());
    call.config = json!({"field": "status", "in": ["active", "trial"]});
    assert!(matches!(call.run(), Outcome::Deliver { .. }));
    call.config = json!({"field": "calculatedStatus", "equals": "member"});
    assert_eq!(call.run(), Outcome::Drop);
}

#[test]
fn previous_attributes_in_officernd_shape() {
    let now = seeds::officernd_member();
    let mut before = now.clone();
    before["status"] = json!("inactive");
    before["name"] = json!("Jon Brown");
    let mut call = Call::new("previous-attributes", "member.updated", now.clone());
    call.previous = Some(before);
    let body: Value = serde_json::from_str(&call.body()).expect("json");
    assert_eq!(
        body,
        json!({
            "event": "5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7",
            "eventType": "member.updated",
            "data": {"object": now, "previousAttributes": {"status": "inactive", "name": "Jon Brown"}},
            "createdAt": "2023-10-05T10:47:21.000Z"
        })
    );
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["event", "eventType", "data", "createdAt"]);

    let removed = Call::new(
        "previous-attributes",
        "member.removed",
        seeds::officernd_member(),
    );
    let body: Value = serde_json::from_str(&removed.body()).expect("json");
    assert!(body["data"].get("previousAttributes").is_none());
}

#[test]
fn diff_in_firm_app_shape() {
    let mut call = Call::new(
        "diff",
        "user.updated",
        json!({"id": "ussampleuser1id", "name": "Sam Smith", "email": "sam@example.com"}),
    );
    call.previous =
        Some(json!({"id": "ussampleuser1id", "name": "Sam", "email": "sam@example.com"}));
    assert_eq!(
        call.body(),
        r#"{"date":"2023-10-05T10:47:21.000Z","events":[{"action":"update","schema":"user","docId":"ussampleuser1id","docUpdatedDate":"2023-10-05T10:47:21.000Z","diff":{"name":"Sam Smith"}}]}"#
    );
    let created = Call::new("diff", "user.created", json!({"id": "ussampleuser2id"}));
    assert_eq!(
        created.body(),
        r#"{"date":"2023-10-05T10:47:21.000Z","events":[{"action":"create","schema":"user","docId":"ussampleuser2id","docUpdatedDate":"2023-10-05T10:47:21.000Z"}]}"#
    );
}

#[test]
fn famly_envelope_with_a_request_id_per_attempt() {
    let mut call = Call::new("famly-envelope", "child.updated", seeds::famly_child());
    call.config = json!({"objectTypes": {"child": "ChildEvent"}});
    call.tenant = Some("6d130c40-93aa-44c2-8f5b-3d52b310e34e");
    let expected = format!(
        r#"{{"requestId":"01HBZQ60T0E834D3KCE7P3TVF3","eventId":"5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7","siteSetId":"6d130c40-93aa-44c2-8f5b-3d52b310e34e","eventTime":"2023-10-05T10:47:21Z","operation":"Updated","objectType":"ChildEvent","data":{}}}"#,
        seeds::famly_child()
    );
    assert_eq!(call.body(), expected);

    call.attempt_id = "01HBZQ7XYZ0000000000000000";
    let retry: Value = serde_json::from_str(&call.body()).expect("json");
    assert_eq!(retry["requestId"], "01HBZQ7XYZ0000000000000000");
    assert_eq!(retry["eventId"], "5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7");
}

#[test]
fn template_tags_and_drops_internal_objects() {
    let mut call = Call::new("template", "member.created", json!({"x": 1}));
    call.config = json!({"source": "crm"});
    assert_eq!(
        call.body(),
        r#"{"id":"5dc5bfcf-59b6-46d2-a1c9-b9d41e9f61c7","type":"member.created","source":"crm","data":{"x":1}}"#
    );
    let internal = Call::new("template", "member.created", json!({"internal": true}));
    assert_eq!(internal.run(), Outcome::Drop);
}

#[test]
fn plugin_logs_reach_the_report() {
    let rt = shared_runtime();
    let code = rt.load(&plugin_bytes("template")).expect("load");
    let plugin = rt
        .prepare(code, "{}", Limits::default(), PluginOptions::default())
        .expect("prepare");
    let report = plugin.transform(&Event {
        id: "e",
        event_type: "a.created",
        occurred_at: "2023-10-05T10:47:21.000Z",
        tenant: None,
        object: r#"{"internal":true}"#,
        previous: None,
        changed_fields: &[],
        attempt_id: "a",
        attempt: 1,
    });
    assert_eq!(report.result, Ok(Outcome::Drop));
    assert_eq!(report.logs.len(), 1);
    assert_eq!(report.logs[0].message, "internal object: dropped");
    assert!(report.memory_bytes > 0);
}
