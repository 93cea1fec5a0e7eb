//! Hostile plugins: each fails with its own typed reason, and a good plugin runs right after.

use hookshape::plugin::{Event, Failure, Limits, Outcome, Plugin, PluginOptions};
use hookshape_tests::{plugin_bytes, shared_runtime};

fn prepare(name: &str, config: &str) -> Plugin {
    let rt = shared_runtime();
    let code = rt.load(&plugin_bytes(name)).expect("load");
    rt.prepare(code, config, Limits::default(), PluginOptions::default())
        .expect("prepare")
}

fn event(object: &str) -> Event<'_> {
    Event {
        id: "evt_1",
        event_type: "member.updated",
        occurred_at: "2024-11-08T21:49:46.733Z",
        tenant: None,
        object,
        previous: None,
        changed_fields: &[],
        attempt_id: "01HBZQ60T0E834D3KCE7P3TVF3",
        attempt: 1,
    }
}

fn misbehave(mode: &str) -> Failure {
    let plugin = prepare("misbehave", &format!(r#"{{"mode":"{mode}"}}"#));
    let report = plugin.transform(&event("{}"));
    let failure = report.result.expect_err("a misbehaving plugin must fail");
    // The runtime serves the next call normally, with a good plugin.
    let good = prepare("passthrough", "{}");
    let ok = good.transform(&event(r#"{"a":1}"#));
    assert!(matches!(ok.result, Ok(Outcome::Deliver { .. })), "{ok:?}");
    failure
}

#[test]
fn infinite_loop_times_out() {
    let started = std::time::Instant::now();
    assert_eq!(misbehave("loop"), Failure::Timeout { limit_ms: 100 });
    // Generous: the deadline is 100 ms; this only proves the loop was stopped.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn memory_bomb_hits_the_memory_limit() {
    assert_eq!(
        misbehave("memory"),
        Failure::Memory {
            limit_bytes: 64 << 20
        }
    );
}

#[test]
fn deep_recursion_overflows_the_stack() {
    assert_eq!(misbehave("recursion"), Failure::StackOverflow);
}

#[test]
fn panic_reports_the_panic_message() {
    match misbehave("panic") {
        Failure::Trap { message } => {
            assert!(message.contains("misbehave: deliberate panic"), "{message}");
            assert!(message.contains("panicked at"), "{message}");
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn ten_mib_output_is_too_large() {
    match misbehave("big-output") {
        Failure::OutputTooLarge { size, limit_bytes } => {
            assert_eq!(size, 10 << 20);
            assert_eq!(limit_bytes, 1 << 20);
        }
        other => panic!("expected output_too_large, got {other:?}"),
    }
}

#[test]
fn log_flood_hits_the_log_limit() {
    assert_eq!(
        misbehave("log-flood"),
        Failure::LogLimit {
            limit_bytes: 64 << 10
        }
    );
}

#[test]
fn reserved_or_malformed_headers_are_bad_output() {
    assert!(matches!(misbehave("bad-header"), Failure::BadOutput { .. }));
}

#[test]
fn plugin_errors_are_reported_as_such() {
    assert_eq!(
        misbehave("error"),
        Failure::PluginError {
            message: "misbehave: deliberate error".into()
        }
    );
}

#[test]
fn invalid_config_is_rejected_at_prepare_time() {
    let rt = shared_runtime();
    let code = rt.load(&plugin_bytes("select-fields")).expect("load");
    let err = rt
        .prepare(
            code,
            r#"{"fields": []}"#,
            Limits::default(),
            PluginOptions::default(),
        )
        .err()
        .expect("empty fields must be refused");
    match err {
        Failure::Config { message } => assert!(message.contains("at least one field"), "{message}"),
        other => panic!("expected config failure, got {other:?}"),
    }
}

#[test]
fn a_trap_poisons_only_that_instance() {
    let plugin = prepare("misbehave", r#"{"mode":"panic-if-flagged"}"#);
    let boom = plugin.transform(&event(r#"{"explode":true}"#));
    assert!(matches!(boom.result, Err(Failure::Trap { .. })), "{boom:?}");
    let fine = plugin.transform(&event(r#"{"explode":false}"#));
    assert_eq!(
        fine.result,
        Ok(Outcome::Deliver {
            body: r#"{"explode":false}"#.into(),
            headers: vec![]
        })
    );
}

#[test]
fn instances_are_reused_then_recycled() {
    let rt = shared_runtime();
    let code = rt.load(&plugin_bytes("misbehave")).expect("load");
    let options = PluginOptions {
        recycle_after: 3,
        max_idle: 1,
    };
    let plugin = rt
        .prepare(code, r#"{"mode":"count"}"#, Limits::default(), options)
        .expect("prepare");
    let calls: Vec<String> = (0..5)
        .map(|_| match plugin.transform(&event("{}")).result {
            Ok(Outcome::Deliver { body, .. }) => body,
            other => panic!("{other:?}"),
        })
        .collect();
    // One instance serves three calls, then a fresh one takes over.
    assert_eq!(
        calls,
        [
            r#"{"calls":1}"#,
            r#"{"calls":2}"#,
            r#"{"calls":3}"#,
            r#"{"calls":1}"#,
            r#"{"calls":2}"#
        ]
    );
}

#[test]
fn per_plugin_limits_apply() {
    let rt = shared_runtime();
    let code = rt.load(&plugin_bytes("misbehave")).expect("load");
    let limits = Limits {
        timeout_ms: 20,
        memory_bytes: 8 << 20,
        ..Limits::default()
    };
    let looping = rt
        .prepare(
            code.clone(),
            r#"{"mode":"loop"}"#,
            limits,
            PluginOptions::default(),
        )
        .expect("prepare");
    assert_eq!(
        looping.transform(&event("{}")).result,
        Err(Failure::Timeout { limit_ms: 20 })
    );
    let hoarding = rt
        .prepare(
            code,
            r#"{"mode":"memory"}"#,
            limits,
            PluginOptions::default(),
        )
        .expect("prepare");
    let report = hoarding.transform(&event("{}"));
    assert_eq!(
        report.result,
        Err(Failure::Memory {
            limit_bytes: 8 << 20
        })
    );
}
