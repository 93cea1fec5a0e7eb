//! Helpers shared by the integration tests: plugin artifacts, sample events, a real server
//! and a real receiver.

pub mod app;
pub mod bench_procs;
pub mod browser;
pub mod certs;
pub mod child;
pub mod cli;
pub mod lang;
pub mod postgres;
pub mod receiver;
pub mod tcp_proxy;
pub mod verify;

use std::path::PathBuf;
use std::sync::OnceLock;

use hookshape::plugin::{Runtime, RuntimeConfig};

/// The `.wasm` file of a plugin crate built by the build script (`select-fields` →
/// `select_fields.wasm`).
pub fn plugin_path(name: &str) -> PathBuf {
    PathBuf::from(env!("HOOKSHAPE_PLUGIN_DIR")).join(format!("{}.wasm", name.replace('-', "_")))
}

/// The bytes of a built plugin.
pub fn plugin_bytes(name: &str) -> Vec<u8> {
    let path = plugin_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// One runtime per test process, so each plugin is compiled once, not once per test.
pub fn shared_runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        Runtime::new(&RuntimeConfig {
            max_instances: 64,
            ..RuntimeConfig::default()
        })
        .expect("runtime")
    })
}

/// A plugin prepared with `config` on the shared runtime, with a 1 s time limit (Python and
/// JavaScript instances start slower than the default allows under load).
pub fn prepare_shared(wasm: &[u8], config: &str) -> hookshape::plugin::Plugin {
    let rt = shared_runtime();
    let code = rt.load(wasm).expect("load");
    let limits = hookshape::plugin::Limits {
        timeout_ms: 1_000,
        ..hookshape::plugin::Limits::default()
    };
    rt.prepare(
        code,
        config,
        limits,
        hookshape::plugin::PluginOptions::default(),
    )
    .expect("prepare")
}

/// How many events a benchmark publishes: `BENCH_EVENTS`, or 20,000.
pub fn bench_events() -> usize {
    std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// The seeds' sample objects, as the source system would publish them.
pub mod seeds {
    use serde_json::{Value, json};

    /// Famly's `ChildEvent` data (seed 000).
    pub fn famly_child() -> Value {
        json!({
            "childId": "be0ea60c-1191-4dd2-8629-81793b6b83c3",
            "name": {
                "fullName": "API Test2 16112022",
                "firstName": "API",
                "middleName": "Test2",
                "lastName": "16112022"
            },
            "gender": null,
            "birthDay": "2022-11-02",
            "startDate": "2022-11-16",
            "endDate": null,
            "groupId": "37626de8-c2dd-4f0b-af74-55387353e3ca",
            "address": null
        })
    }

    /// OfficeRnD's member (seed 002), after an update.
    pub fn officernd_member() -> Value {
        json!({
            "_id": "5e8c9df14d46c7001064c3ef",
            "status": "active",
            "calculatedStatus": "drop-in",
            "team": "5e8c9eb94d46c7001064c427",
            "office": "5e1d8bd37f8759001051b0e2",
            "name": "Jonathan Brown",
            "description": "",
            "image": null,
            "organization": "5e1d8bd37f8759001051b0ca",
            "email": "jonathan@example.com"
        })
    }

    /// A `member.updated` event around `object` (a [`kilobyte_member`] as text), as the
    /// runtime hands it to a plugin: what the plugin benchmarks call plugins with.
    pub fn kilobyte_event(object: &str) -> hookshape::plugin::Event<'_> {
        hookshape::plugin::Event {
            id: "evt_01HBZQ60T0E834D3KCE7P3TVF3",
            event_type: "member.updated",
            occurred_at: "2024-11-08T21:49:46.733Z",
            tenant: Some("site_1"),
            object,
            previous: None,
            changed_fields: &[],
            attempt_id: "01HBZQ60T0E834D3KCE7P3TVF3",
            attempt: 1,
        }
    }

    /// A ~1 KB member object, for benchmarks and size-sensitive tests.
    pub fn kilobyte_member() -> Value {
        json!({
            "id": "mem_01HBZQ60T0E834D3KCE7P3TVF3",
            "status": "active",
            "name": {"first": "Jonathan", "last": "Brown", "display": "Jonathan Brown"},
            "email": "jonathan.brown@example.com",
            "phone": "+44 20 7946 0958",
            "team": "5e8c9eb94d46c7001064c427",
            "office": "5e1d8bd37f8759001051b0e2",
            "organization": "5e1d8bd37f8759001051b0ca",
            "address": {"line1": "221B Baker Street", "city": "London", "postcode": "NW1 6XE", "country": "GB"},
            "billing": {"plan": "hot-desk", "currency": "GBP", "amount": 24900, "interval": "month", "vat": true},
            "tags": ["founder", "early-adopter", "night-owl", "coffee"],
            "createdAt": "2020-10-14T11:18:52.130Z",
            "updatedAt": "2024-11-08T21:49:46.733Z",
            "description": "Builds webhook infrastructure and drinks too much coffee; prefers the quiet room.",
            "image": null,
            "preferences": {"newsletter": true, "language": "en-GB", "timezone": "Europe/London", "notifications": {"email": true, "sms": false, "push": true}},
            "metadata": {"crmId": "0035g00000XyZ12AAB", "source": "import-2020-10", "score": 87}
        })
    }
}
