//! The plugin memory budget: idle instances of all subscriptions share one budget, evicted
//! ones are re-created with their own configuration, and a dropped plugin frees its instances.

use std::time::Duration;

use hookshape::plugin::{Event, Limits, Outcome, Plugin, PluginOptions, Runtime, RuntimeConfig};
use hookshape_tests::app::TestApp;
use hookshape_tests::plugin_bytes;
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const MIB: u64 = 1 << 20;

fn runtime(budget: u64) -> Runtime {
    Runtime::new(&RuntimeConfig {
        max_instances: 32,
        memory_budget: budget,
        ..RuntimeConfig::default()
    })
    .expect("runtime")
}

fn event(object: &str) -> Event<'_> {
    Event {
        id: "evt_budget",
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

/// Twelve select-fields plugins, each configured to keep a different field.
fn plugins(rt: &Runtime) -> Vec<Plugin> {
    let code = rt.load(&plugin_bytes("select-fields")).expect("load");
    (0..12)
        .map(|i| {
            let config =
                json!({"fields": ["id", {"path": format!("f{i}"), "as": format!("kept{i}")}]});
            rt.prepare(
                code.clone(),
                &config.to_string(),
                Limits::default(),
                PluginOptions::default(),
            )
            .expect("prepare")
        })
        .collect()
}

fn bodies(plugins: &[Plugin]) -> Vec<String> {
    let object =
        json!({"id": "m_1", "f0": 0, "f3": "three", "f7": [7], "f11": {"x": 11}}).to_string();
    let mut out = Vec::new();
    for round in 0..3 {
        for p in plugins {
            match p.transform(&event(&object)).result {
                Ok(Outcome::Deliver { body, .. }) => out.push(format!("{round}:{body}")),
                other => panic!("{other:?}"),
            }
        }
    }
    out
}

#[test]
fn evicted_instances_are_recreated_with_their_own_config() {
    let roomy = runtime(256 * MIB);
    let tight = runtime(2 * MIB);
    let kept = bodies(&plugins(&roomy));
    let tight_plugins = plugins(&tight);
    let recreated = bodies(&tight_plugins);
    assert_eq!(kept, recreated);
    assert!(
        kept.iter().any(|b| b.contains(r#""kept3":"three""#)),
        "{kept:?}"
    );

    let roomy = roomy.stats();
    assert_eq!(roomy.idle.evictions, 0, "{roomy:?}");
    assert_eq!(roomy.reinstantiated, 0, "{roomy:?}");
    let tight = tight.stats();
    // Twelve plugins of about a MiB each cannot all stay within two MiB: most calls ran on a
    // re-created instance, and what stays idle fits the budget.
    assert!(tight.idle.evictions >= 30, "{tight:?}");
    assert!(tight.reinstantiated >= 30, "{tight:?}");
    assert!(tight.idle.bytes <= 2 * MIB, "{tight:?}");
    assert!(tight.idle.instances <= 2, "{tight:?}");
    assert!(tight.reinstantiate_nanos > 0);
}

#[test]
fn an_evicted_instance_starts_afresh_and_a_kept_one_goes_on() {
    // `count` mode answers how many calls its instance served: the visible difference
    // between a kept instance and a re-created one.
    let count = |budget: u64| {
        let rt = runtime(budget);
        let code = rt.load(&plugin_bytes("misbehave")).expect("load");
        let ps: Vec<Plugin> = (0..4)
            .map(|_| {
                rt.prepare(
                    code.clone(),
                    r#"{"mode":"count"}"#,
                    Limits::default(),
                    PluginOptions::default(),
                )
                .expect("prepare")
            })
            .collect();
        let mut seen = Vec::new();
        for _ in 0..3 {
            for p in &ps {
                match p.transform(&event("{}")).result {
                    Ok(Outcome::Deliver { body, .. }) => seen.push(body),
                    other => panic!("{other:?}"),
                }
            }
        }
        seen
    };
    let kept = count(256 * MIB);
    assert_eq!(kept[8..], vec![r#"{"calls":3}"#.to_owned(); 4]);
    let evicted = count(MIB);
    assert_eq!(evicted, vec![r#"{"calls":1}"#.to_owned(); 12]);
}

#[test]
fn a_dropped_plugin_frees_its_instances_at_once() {
    let rt = runtime(256 * MIB);
    let ps = plugins(&rt);
    bodies(&ps);
    let before = rt.stats();
    assert_eq!(before.alive, 12, "{before:?}");
    assert_eq!(before.idle.instances, 12, "{before:?}");
    drop(ps);
    let after = rt.stats();
    assert_eq!(after.alive, 0, "{after:?}");
    assert_eq!(after.idle.instances, 0, "{after:?}");
    assert_eq!(after.idle.bytes, 0, "{after:?}");
}

#[test]
fn more_plugins_than_pool_slots_still_run() {
    // 32 slots, 40 configured plugins: idle instances give way to the ones called.
    let rt = runtime(256 * MIB);
    let code = rt.load(&plugin_bytes("passthrough")).expect("load");
    let ps: Vec<Plugin> = (0..40)
        .map(|_| {
            rt.prepare(
                code.clone(),
                "{}",
                Limits::default(),
                PluginOptions::default(),
            )
            .expect("prepare with a full pool")
        })
        .collect();
    for p in &ps {
        assert!(p.transform(&event("{}")).result.is_ok());
    }
    let stats = rt.stats();
    assert!(stats.alive <= 32, "{stats:?}");
}

/// The same events through ten plugin subscriptions, with a budget that keeps them all and
/// with one that keeps almost none: the receiver gets the same bodies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_identical_whether_instances_were_kept_or_recreated() {
    let mut received = Vec::new();
    for budget in [256 * MIB, MIB] {
        let receiver = TestReceiver::start().await;
        let app = TestApp::spawn_with(|c| c.plugin_memory = budget).await;
        let plugin = app.upload("select-fields").await;
        for i in 0..10 {
            app.subscribe(json!({
                "url": receiver.url(&format!("/s{i}")),
                "events": ["member.updated"],
                "plugin": {"id": plugin, "config": {"fields": ["id", format!("f{i}")]}},
            }))
            .await;
        }
        for n in 0..5 {
            let mut object = json!({"id": format!("m_{n}")});
            for i in 0..10 {
                object[format!("f{i}")] = json!(i * 100 + n);
            }
            app.publish(json!({"type": "member.updated", "object": object}))
                .await;
        }
        let got = receiver.wait_for(50, Duration::from_secs(30)).await;
        let mut bodies: Vec<(String, Value)> = got
            .iter()
            .map(|r| {
                let mut body: Value = serde_json::from_str(&r.body).expect("json body");
                body.as_object_mut().expect("object").remove("timestamp");
                (r.path.clone(), body)
            })
            .collect();
        bodies.sort_by(|a, b| (&a.0, a.1.to_string()).cmp(&(&b.0, b.1.to_string())));
        received.push(bodies);
    }
    assert_eq!(received[0].len(), 50);
    assert_eq!(received[0], received[1]);
    assert_eq!(
        received[0][0].1["data"],
        json!({"id": "m_0", "f0": 0}),
        "{:?}",
        received[0][0]
    );
}
