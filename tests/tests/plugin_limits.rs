//! Hostile plugins: each fails with its own typed reason, and a good plugin runs right after.

use std::time::{Duration, Instant};

use hookshape::plugin::{Event, Failure, Limits, MESSAGE_BYTES, Outcome, Plugin, PluginOptions};
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
    assert_eq!(misbehave("loop"), Failure::Timeout { limit_ms: 100 });
    // Compiled and configured first: the clock covers the call alone. Generous: the deadline
    // is 100 ms; this only proves the loop was stopped.
    let plugin = prepare("misbehave", r#"{"mode":"loop"}"#);
    let started = std::time::Instant::now();
    let report = plugin.transform(&event("{}"));
    assert_eq!(report.result, Err(Failure::Timeout { limit_ms: 100 }));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

fn prepare_with(name: &str, config: &str, limits: Limits) -> Result<Plugin, Failure> {
    let rt = shared_runtime();
    let code = rt.load(&plugin_bytes(name)).expect("load");
    rt.prepare(code, config, limits, PluginOptions::default())
}

#[test]
fn memory_bomb_hits_the_memory_limit() {
    // A generous time limit: filling 64 MiB must end on the memory limit, not the clock.
    let limits = Limits {
        timeout_ms: 1000,
        ..Limits::default()
    };
    let plugin = prepare_with("misbehave", r#"{"mode":"memory"}"#, limits).expect("prepare");
    assert_eq!(
        plugin.transform(&event("{}")).result,
        Err(Failure::Memory {
            limit_bytes: 64 << 20
        })
    );
}

#[test]
fn memory_bombs_under_load_report_memory() {
    let limits = Limits {
        timeout_ms: 1000,
        memory_bytes: 16 << 20,
        ..Limits::default()
    };
    let plugin = prepare_with("misbehave", r#"{"mode":"memory"}"#, limits).expect("prepare");
    let results: Vec<Result<Outcome, Failure>> = std::thread::scope(|s| {
        let calls: Vec<_> = (0..6)
            .map(|_| s.spawn(|| plugin.transform(&event("{}")).result))
            .collect();
        calls.into_iter().map(|c| c.join().expect("join")).collect()
    });
    for r in results {
        assert_eq!(
            r,
            Err(Failure::Memory {
                limit_bytes: 16 << 20
            })
        );
    }
}

#[test]
fn a_sleep_in_a_host_call_is_stopped_at_the_time_limit() {
    let plugin = prepare("misbehave", r#"{"mode":"sleep","sleepMs":8000}"#);
    let started = Instant::now();
    let report = plugin.transform(&event("{}"));
    assert_eq!(report.result, Err(Failure::Timeout { limit_ms: 100 }));
    // Generous: the deadline is 100 ms; the sleep asked for 8 s.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // The instance is dropped; the next call gets a fresh one and is stopped again.
    assert_eq!(
        plugin.transform(&event("{}")).result,
        Err(Failure::Timeout { limit_ms: 100 })
    );
}

#[test]
fn a_sleep_in_configure_is_stopped_at_the_time_limit() {
    let rt = shared_runtime();
    let code = rt.load(&plugin_bytes("misbehave")).expect("load");
    let started = Instant::now();
    let failure = rt
        .prepare(
            code,
            r#"{"mode":"count","configure":"sleep","sleepMs":15000}"#,
            Limits::default(),
            PluginOptions::default(),
        )
        .err()
        .expect("a configure past its time limit fails");
    assert_eq!(failure, Failure::Timeout { limit_ms: 100 });
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn printing_works_in_configure_and_is_kept_from_transform() {
    let plugin = prepare("misbehave", r#"{"mode":"print","configure":"print"}"#);
    let report = plugin.transform(&event(r#"{"a":1}"#));
    assert!(
        matches!(report.result, Ok(Outcome::Deliver { .. })),
        "{report:?}"
    );
    assert_eq!(report.output, "misbehave: printed during transform\n");
}

#[test]
fn plugin_strings_are_cut_to_a_bound() {
    match misbehave("big-error") {
        Failure::PluginError { message } => {
            assert!(message.len() < MESSAGE_BYTES + 64, "{}", message.len());
            assert!(
                message.ends_with("more bytes cut)"),
                "{}",
                &message[message.len() - 40..]
            );
        }
        other => panic!("expected plugin_error, got {other:?}"),
    }
    match prepare_with(
        "misbehave",
        r#"{"mode":"count","configure":"big-error"}"#,
        Limits::default(),
    ) {
        Err(Failure::Config { message }) => {
            assert!(message.len() < MESSAGE_BYTES + 64, "{}", message.len());
        }
        Err(other) => panic!("expected config, got {other:?}"),
        Ok(_) => panic!("expected config, got a plugin"),
    }
}

#[test]
fn control_characters_and_host_owned_headers_are_bad_output() {
    match misbehave("control-header") {
        Failure::BadOutput { detail } => assert!(detail.contains("control character"), "{detail}"),
        other => panic!("expected bad_output, got {other:?}"),
    }
    for name in [
        "Authorization",
        "te",
        "Upgrade",
        "expect",
        "proxy-connection",
        "host",
        "content-length",
        "Transfer-Encoding",
        "connection",
        "webhook-signature",
    ] {
        let plugin = prepare(
            "misbehave",
            &format!(r#"{{"mode":"set-header","header":"{name}"}}"#),
        );
        let result = plugin.transform(&event("{}")).result;
        assert!(
            matches!(result, Err(Failure::BadOutput { .. })),
            "{name}: {result:?}"
        );
    }
    let plugin = prepare("misbehave", r#"{"mode":"set-header","header":"x-custom"}"#);
    assert!(matches!(
        plugin.transform(&event("{}")).result,
        Ok(Outcome::Deliver { .. })
    ));
}

#[test]
fn limits_outside_the_ceilings_are_refused() {
    for limits in [
        Limits {
            timeout_ms: u64::MAX,
            ..Limits::default()
        },
        Limits {
            timeout_ms: 0,
            ..Limits::default()
        },
        Limits {
            output_bytes: u64::MAX,
            ..Limits::default()
        },
        Limits {
            log_bytes: u64::MAX,
            ..Limits::default()
        },
        Limits {
            memory_bytes: u64::MAX,
            ..Limits::default()
        },
    ] {
        match prepare_with("passthrough", "{}", limits) {
            Err(Failure::Limits { detail }) => assert!(detail.contains("allowed"), "{detail}"),
            Err(other) => panic!("{limits:?}: expected limits, got {other:?}"),
            Ok(_) => panic!("{limits:?} was accepted"),
        }
    }
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
    // Time enough to reach its memory limit even on a loaded machine: the limit it must
    // hit is the memory one.
    let hoarding = rt
        .prepare(
            code,
            r#"{"mode":"memory"}"#,
            Limits {
                timeout_ms: 1_000,
                ..limits
            },
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
