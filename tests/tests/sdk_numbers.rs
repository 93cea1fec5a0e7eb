//! What the Python and JavaScript SDKs keep of a published object that their plugin passes on
//! unchanged: each language parses the object into its own values and writes them back, so
//! what arrives is what that language can hold. The host and the Rust SDK keep everything
//! (`payload_fidelity.rs`); this pins down, and docs/plugins.md states, the rest.

use hookshape::plugin::{Event, Outcome};
use hookshape_tests::lang::lang_plugin;
use hookshape_tests::prepare_shared;
use serde_json::json;

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");

/// Written as text: parsing it anywhere first would already change it.
const OBJECT: &str = r#"{"zero":-0,"negzero":-0.0,"big":1e21,"digits":123456789012345678901234567890,"past53":9007199254740993,"one":1.0,"tenth":0.1,"b":1,"10":2,"9":3}"#;

/// The `data` a template plugin sends for [`OBJECT`].
fn data_through(wasm: &[u8], config: &str) -> String {
    let plugin = prepare_shared(wasm, config);
    let report = plugin.transform(&Event {
        id: "evt_1",
        event_type: "member.updated",
        occurred_at: "2026-01-01T00:00:00.000Z",
        tenant: None,
        object: OBJECT,
        previous: None,
        changed_fields: &[],
        attempt_id: "01HBZQ60T0E834D3KCE7P3TVF3",
        attempt: 1,
    });
    let Ok(Outcome::Deliver { body, .. }) = report.result else {
        panic!("{:?}", report.result);
    };
    let start = body.find(r#""data":"#).expect("data") + 7;
    body[start..body.len() - 1].to_owned()
}

#[test]
fn python_keeps_integers_and_order_but_not_a_negative_integer_zero() {
    let data = data_through(&lang_plugin(CLI, "python/template"), r#"{"source": "x"}"#);
    assert_eq!(
        data,
        r#"{"zero":0,"negzero":-0.0,"big":1e+21,"digits":123456789012345678901234567890,"past53":9007199254740993,"one":1.0,"tenth":0.1,"b":1,"10":2,"9":3}"#
    );
}

#[test]
fn javascript_has_doubles_only_and_puts_integer_keys_first() {
    let expected = r#"{"9":3,"10":2,"zero":0,"negzero":0,"big":1e+21,"digits":1.2345678901234568e+29,"past53":9007199254740992,"one":1,"tenth":0.1,"b":1}"#;
    let data = data_through(&lang_plugin(CLI, "js/template"), r#"{"source": "x"}"#);
    assert_eq!(data, expected);
    // The built-in transform is the same engine: the same values.
    let source = json!({"source": "function transform(e) { return {id: e.id, type: e.type, source: 'x', data: e.object}; }"});
    let data = data_through(
        &lang_plugin(CLI, "js/builtin-javascript"),
        &source.to_string(),
    );
    assert_eq!(data, expected);
}
