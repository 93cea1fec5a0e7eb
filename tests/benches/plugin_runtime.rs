//! Plugin runtime benchmark: `cargo bench -p hookshape-tests --bench plugin_runtime`.
//!
//! Prints, in one run, the per-event cost of `select-fields` on a ~1 KB event through the
//! runtime with limits on (reused instance, and fresh instance per event), the same
//! transformation in native Rust, their ratio, and compile / deserialize / instantiate times.
//! The reused-instance and native figures are taken call by call in alternation.

use std::hint::black_box;
use std::time::{Duration, Instant};

use hookshape::plugin::{Event, Limits, Outcome, PluginOptions, Runtime, RuntimeConfig};
use hookshape_sdk::Plugin as _;
use hookshape_tests::{plugin_bytes, seeds};
use serde_json::{Value, json};

const ITERATIONS: usize = 20_000;

struct Figures {
    median: Duration,
    p99: Duration,
}

fn measure(iterations: usize, mut f: impl FnMut()) -> Figures {
    for _ in 0..iterations / 10 {
        f();
    }
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort_unstable();
    Figures {
        median: samples[samples.len() / 2],
        p99: samples[samples.len() * 99 / 100],
    }
}

/// Measures two functions call by call in alternation, so that a noisy neighbour or a
/// frequency change slows both alike and their ratio stays fair.
fn measure_pair(iterations: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Figures, Figures) {
    for _ in 0..iterations / 10 {
        a();
        b();
    }
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let (mut sa, mut sb): (Vec<Duration>, Vec<Duration>) = (0..iterations)
        .map(|_| (time(&mut a), time(&mut b)))
        .unzip();
    let figures = |samples: &mut Vec<Duration>| {
        samples.sort_unstable();
        Figures {
            median: samples[samples.len() / 2],
            p99: samples[samples.len() * 99 / 100],
        }
    };
    (figures(&mut sa), figures(&mut sb))
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let wasm = plugin_bytes("select-fields");
    let config = json!({"fields": ["id", "status", "name.display", {"path": "email", "as": "contact"}, "billing.plan", "updatedAt"]});
    let object = seeds::kilobyte_member().to_string();
    let event = seeds::kilobyte_event(&object);
    println!(
        "select-fields on a {} byte event, {ITERATIONS} iterations",
        object.len()
    );

    // Compile: a runtime with no cache compiles the component.
    let cache = tempfile::tempdir().expect("tempdir");
    let cached_config = RuntimeConfig {
        cache_dir: Some(cache.path().to_path_buf()),
        ..RuntimeConfig::default()
    };
    let start = Instant::now();
    let first = Runtime::new(&cached_config).expect("runtime");
    let code = first.load(&wasm).expect("load");
    let compile = start.elapsed();
    // Deserialize: a second runtime on the same cache directory.
    let second = Runtime::new(&cached_config).expect("runtime");
    let start = Instant::now();
    second.load(&wasm).expect("load");
    let deserialize = start.elapsed();
    assert_eq!(second.stats().compiled, 0);

    let runtime = first;
    let config_text = config.to_string();
    let instantiate = measure(500, || {
        let plugin = runtime
            .prepare(
                code.clone(),
                &config_text,
                Limits::default(),
                PluginOptions::default(),
            )
            .expect("prepare");
        black_box(plugin);
    });

    let reused = runtime
        .prepare(
            code.clone(),
            &config_text,
            Limits::default(),
            PluginOptions::default(),
        )
        .expect("prepare");
    let wasm_body = match reused.transform(&event).result {
        Ok(Outcome::Deliver { body, .. }) => body,
        other => panic!("unexpected outcome {other:?}"),
    };
    let fresh_options = PluginOptions {
        recycle_after: 1,
        max_idle: 1,
    };
    let fresh = runtime
        .prepare(code, &config_text, Limits::default(), fresh_options)
        .expect("prepare");
    let fresh_figures = measure(ITERATIONS / 4, || {
        black_box(fresh.transform(black_box(&event)).result.is_ok());
    });

    // Native: the same crate's reshaping, with the same parse and serialize work.
    let native_plugin = select_fields::SelectFields::configure(config.clone()).expect("config");
    let native_once = |object: &str| -> String {
        let value: Value = serde_json::from_str(object).expect("json");
        let e = hookshape_sdk::Event {
            id: event.id.to_owned(),
            event_type: event.event_type.to_owned(),
            occurred_at: event.occurred_at.to_owned(),
            tenant: event.tenant.map(str::to_owned),
            object: value,
            previous: None,
            changed_fields: Vec::new(),
            attempt_id: event.attempt_id.to_owned(),
            attempt: 1,
        };
        native_plugin.reshape(&e).to_string()
    };
    assert_eq!(
        native_once(&object),
        wasm_body,
        "native and wasm must agree"
    );
    let (reuse, native) = measure_pair(
        ITERATIONS,
        || {
            black_box(reused.transform(black_box(&event)).result.is_ok());
        },
        || {
            black_box(native_once(black_box(&object)));
        },
    );

    // The same calls timed on the plugin thread (the call itself, without the hand-over from
    // the caller's thread that every call pays: a delivery waits for it on the async runtime).
    let mut inside: Vec<Duration> = (0..ITERATIONS)
        .map(|_| reused.transform(black_box(&event)).duration)
        .collect();
    inside.sort_unstable();
    let inside_median = inside[inside.len() / 2];
    let inside_p99 = inside[inside.len() * 99 / 100];

    println!(
        "compile (cranelift)        {:>10.1} ms",
        compile.as_secs_f64() * 1e3
    );
    println!(
        "deserialize (cached)       {:>10.2} ms",
        deserialize.as_secs_f64() * 1e3
    );
    println!(
        "instantiate + configure    {:>10.1} µs median, {:.1} µs p99",
        us(instantiate.median),
        us(instantiate.p99)
    );
    println!(
        "wasm, reused instance      {:>10.2} µs median, {:.2} µs p99",
        us(reuse.median),
        us(reuse.p99)
    );
    println!(
        "  of which on the plugin thread {:>5.2} µs median, {:.2} µs p99",
        us(inside_median),
        us(inside_p99)
    );
    println!(
        "wasm, fresh instance       {:>10.2} µs median, {:.2} µs p99",
        us(fresh_figures.median),
        us(fresh_figures.p99)
    );
    println!(
        "native Rust                {:>10.2} µs median, {:.2} µs p99",
        us(native.median),
        us(native.p99)
    );
    println!(
        "ratio wasm(reused)/native  {:>10.2}x at the median (goal <= 1.5x)",
        reuse.median.as_secs_f64() / native.median.as_secs_f64()
    );
    println!(
        "ratio on the plugin thread {:>10.2}x at the median",
        inside_median.as_secs_f64() / native.median.as_secs_f64()
    );
    println!(
        "ratio wasm(fresh)/native   {:>10.2}x at the median",
        fresh_figures.median.as_secs_f64() / native.median.as_secs_f64()
    );
    budget(&wasm, &config_text, &event);
}

/// 200 subscriptions' plugins called round-robin under a budget that keeps all of them idle
/// and under one that keeps about 50: per-call time, instances alive, evictions and the time
/// a re-created instance costs.
fn budget(wasm: &[u8], config: &str, event: &Event<'_>) {
    println!("memory budget: 200 plugins called round-robin, 20 rounds");
    for budget_mib in [512, 50] {
        let runtime = Runtime::new(&RuntimeConfig {
            memory_budget: budget_mib << 20,
            max_instances: RuntimeConfig::slots_for(budget_mib << 20),
            ..RuntimeConfig::default()
        })
        .expect("runtime");
        let code = runtime.load(wasm).expect("load");
        let plugins: Vec<_> = (0..200)
            .map(|_| {
                runtime
                    .prepare(
                        code.clone(),
                        config,
                        Limits::default(),
                        PluginOptions::default(),
                    )
                    .expect("prepare")
            })
            .collect();
        let before = runtime.stats();
        let mut calls: Vec<Duration> = Vec::with_capacity(4000);
        for _ in 0..20 {
            for p in &plugins {
                let start = Instant::now();
                black_box(p.transform(black_box(event)).result.is_ok());
                calls.push(start.elapsed());
            }
        }
        calls.sort_unstable();
        let after = runtime.stats();
        let recreated = after.reinstantiated - before.reinstantiated;
        let recreate_nanos = after.reinstantiate_nanos - before.reinstantiate_nanos;
        println!(
            "  budget {budget_mib:>3} MiB: call {:>7.1} µs median, {:>7.1} µs p99; alive {}, idle {} ({:.1} MiB), evictions {}, re-created {} at {:.1} µs each",
            us(calls[calls.len() / 2]),
            us(calls[calls.len() * 99 / 100]),
            after.alive,
            after.idle.instances,
            after.idle.bytes as f64 / 1048576.0,
            after.idle.evictions,
            recreated,
            if recreated == 0 {
                0.0
            } else {
                recreate_nanos as f64 / recreated as f64 / 1e3
            },
        );
    }
}
