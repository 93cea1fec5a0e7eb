//! What the runtime accepts as a plugin, and the precompiled cache.

use hookshape::plugin::{LoadError, Runtime, RuntimeConfig};
use hookshape_tests::{plugin_bytes, shared_runtime};

fn load_err(bytes: &[u8]) -> LoadError {
    shared_runtime()
        .load(bytes)
        .err()
        .expect("the runtime must refuse these bytes")
}

#[test]
fn random_bytes_are_not_wasm() {
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(matches!(load_err(&noise), LoadError::NotWasm));
    assert_eq!(load_err(b"").code(), "not_wasm");
}

#[test]
fn a_core_module_is_refused_as_such() {
    // The smallest valid core module: magic and version 1.
    let core = b"\0asm\x01\x00\x00\x00";
    assert!(matches!(load_err(core), LoadError::CoreModule));
}

#[test]
fn a_truncated_component_is_invalid() {
    let bytes = plugin_bytes("passthrough");
    assert!(matches!(
        load_err(&bytes[..bytes.len() / 2]),
        LoadError::Invalid(_)
    ));
}

#[test]
fn an_import_outside_the_granted_list_is_refused() {
    match load_err(&plugin_bytes("uses-http")) {
        LoadError::ForbiddenImport { import, why } => {
            assert_eq!(import, "wasi:http/outgoing-handler@0.3.0");
            assert_eq!(why, "plugins get no network");
        }
        other => panic!("expected forbidden_import, got {other:?}"),
    }
}

#[test]
fn filesystem_and_sockets_are_linked_but_reach_nothing() {
    use hookshape::plugin::{Event, Failure, Limits, PluginOptions};
    let rt = shared_runtime();
    // The socket error is a denial by the host, not a refused connection.
    for (name, want) in [
        ("uses-filesystem", "No such file or directory"),
        ("uses-sockets", "Permission denied"),
    ] {
        let code = rt.load(&plugin_bytes(name)).expect("granted imports load");
        let plugin = rt
            .prepare(code, "{}", Limits::default(), PluginOptions::default())
            .expect("prepare");
        let report = plugin.transform(&Event {
            id: "e",
            event_type: "a.b",
            occurred_at: "2023-10-05T10:47:21.000Z",
            tenant: None,
            object: "{}",
            previous: None,
            changed_fields: &[],
            attempt_id: "01HBZQ60T0E834D3KCE7P3TVF3",
            attempt: 1,
        });
        match report.result {
            Err(Failure::PluginError { message }) => {
                assert!(message.contains(want), "{name}: {message}")
            }
            other => panic!("{name}: expected a denied call, got {other:?}"),
        }
    }
}

#[test]
fn a_component_of_another_world_is_refused() {
    match load_err(&plugin_bytes("other-world")) {
        LoadError::WrongWorld(detail) => assert!(detail.contains("run"), "{detail}"),
        other => panic!("expected wrong_world, got {other:?}"),
    }
}

#[test]
fn loading_is_keyed_by_content() {
    let rt = shared_runtime();
    let a = rt.load(&plugin_bytes("filter")).expect("load");
    let b = rt.load(&plugin_bytes("filter")).expect("load");
    assert_eq!(a.id, b.id);
    assert_eq!(a.id.len(), 64);
    assert!(std::sync::Arc::ptr_eq(&a, &b));
}

#[test]
fn a_second_load_from_the_cache_does_not_recompile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = RuntimeConfig {
        cache_dir: Some(dir.path().join("cache")),
        max_instances: 8,
        ..RuntimeConfig::default()
    };
    let bytes = plugin_bytes("famly-envelope");

    let first = Runtime::new(&config).expect("runtime");
    first.load(&bytes).expect("load");
    assert_eq!(first.stats().compiled, 1);
    assert_eq!(first.stats().deserialized, 0);
    let artifacts = std::fs::read_dir(dir.path().join("cache"))
        .expect("cache dir")
        .count();
    assert_eq!(artifacts, 1);

    // A restart: a new runtime on the same cache directory.
    let second = Runtime::new(&config).expect("runtime");
    let code = second.load(&bytes).expect("load");
    assert_eq!(second.stats().compiled, 0, "must not compile again");
    assert_eq!(second.stats().deserialized, 1);
    // And the deserialized component runs.
    let plugin = second
        .prepare(code, "{}", Default::default(), Default::default())
        .expect("prepare");
    let report = plugin.transform(&hookshape::plugin::Event {
        id: "e",
        event_type: "child.created",
        occurred_at: "2023-10-05T10:47:21.000Z",
        tenant: Some("s"),
        object: "{}",
        previous: None,
        changed_fields: &[],
        attempt_id: "a",
        attempt: 1,
    });
    assert!(report.result.is_ok(), "{report:?}");
}
