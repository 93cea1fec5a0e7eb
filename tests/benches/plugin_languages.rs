//! The same transform in Rust, Python and JavaScript: `cargo bench -p hookshape-tests --bench
//! plugin_languages`.
//!
//! The `template` plugin of each language (checked to give the same bytes) on a ~1 KB event,
//! through the production runtime with limits on. Per language: the component's size, its
//! compile time and precompiled artifact, loading that artifact, instantiate + configure (a
//! fresh instance, as after a trap, and what a preview in the portal pays), the per-event
//! time on a reused instance, and linear memory. The same logic also runs as source in the
//! built-in JavaScript transform (`builtin:javascript`). Then `hookshape plugin run` of a
//! component already in its cache, the whole command timed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use hookshape::plugin::{Limits, Outcome, PluginOptions, Runtime, RuntimeConfig};
use hookshape_tests::lang::lang_plugin;
use hookshape_tests::{plugin_bytes, seeds};
use serde_json::json;

const CLI: &str = env!("CARGO_BIN_EXE_hookshape-cli");

fn iterations() -> usize {
    std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000)
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let object = seeds::kilobyte_member().to_string();
    let event = seeds::kilobyte_event(&object);
    let template_config = json!({"source": "crm"}).to_string();
    // The JavaScript template's logic, as source for the built-in transform.
    let as_source = json!({"source": "function transform(event) {\n  if (event.object?.internal === true) {\n    info('internal object: dropped');\n    return null;\n  }\n  return {id: event.id, type: event.type, source: 'crm', data: event.object};\n}"}).to_string();
    let limits = Limits {
        timeout_ms: 1_000,
        ..Limits::default()
    };
    let n = iterations();
    println!(
        "template plugin on a {} byte event, {n} calls per language (limits on)",
        object.len()
    );
    println!(
        "| language | component | compile | precompiled | load precompiled | instantiate + configure | per event, median | p99 | linear memory |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut expected: Option<String> = None;
    for (language, wasm, config) in [
        ("Rust", plugin_bytes("template"), &template_config),
        (
            "Python",
            lang_plugin(CLI, "python/template"),
            &template_config,
        ),
        (
            "JavaScript",
            lang_plugin(CLI, "js/template"),
            &template_config,
        ),
        (
            "JavaScript as config",
            lang_plugin(CLI, "js/builtin-javascript"),
            &as_source,
        ),
    ] {
        let cache = tempfile::tempdir().expect("tempdir");
        let runtime_config = RuntimeConfig {
            cache_dir: Some(cache.path().to_path_buf()),
            ..RuntimeConfig::default()
        };
        let start = Instant::now();
        let runtime = Runtime::new(&runtime_config).expect("runtime");
        let code = runtime.load(&wasm).expect("load");
        let compile = start.elapsed();
        let artifact: u64 = std::fs::read_dir(cache.path())
            .expect("cache dir")
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        let second = Runtime::new(&runtime_config).expect("runtime");
        let start = Instant::now();
        second.load(&wasm).expect("load precompiled");
        let load = start.elapsed();
        assert_eq!(second.stats().compiled, 0, "loaded from the artifact");

        let mut fresh: Vec<Duration> = (0..20)
            .map(|_| {
                let start = Instant::now();
                let p = runtime
                    .prepare(code.clone(), config, limits, PluginOptions::default())
                    .expect("prepare");
                let took = start.elapsed();
                drop(p);
                took
            })
            .collect();
        fresh.sort_unstable();

        let plugin = runtime
            .prepare(code, config, limits, PluginOptions::default())
            .expect("prepare");
        let first = plugin.transform(&event);
        let body = match first.result {
            Ok(Outcome::Deliver { body, .. }) => body,
            other => panic!("{language}: {other:?}"),
        };
        match &expected {
            Some(want) => assert_eq!(&body, want, "{language} differs from Rust"),
            None => expected = Some(body),
        }
        let mut memory = first.memory_bytes;
        let mut calls: Vec<Duration> = (0..n)
            .map(|_| {
                let report = plugin.transform(black_box(&event));
                memory = memory.max(report.memory_bytes);
                black_box(report.result.is_ok());
                report.duration
            })
            .collect();
        calls.sort_unstable();
        println!(
            "| {language} | {:.1} MB | {:.0} ms | {:.1} MB | {:.1} ms | {:.1} ms | {:.1} µs | {:.1} µs | {:.1} MiB |",
            wasm.len() as f64 / 1e6,
            ms(compile),
            artifact as f64 / 1e6,
            ms(load),
            ms(fresh[fresh.len() / 2]),
            us(percentile(&calls, 50)),
            us(percentile(&calls, 99)),
            memory as f64 / (1024.0 * 1024.0),
        );
    }
    cached_runs();
}

/// `hookshape plugin run` of the JavaScript template, as a user runs it: the first run
/// compiles the component into the cache, later ones map it from there.
fn cached_runs() {
    let wasm = hookshape_tests::lang::plugins_dir().join("js/template/build/plugin.wasm");
    let cache = tempfile::tempdir().expect("tempdir");
    let run = || {
        let start = Instant::now();
        let out = std::process::Command::new(CLI)
            .env("HOOKSHAPE_CACHE_DIR", cache.path())
            .args(["plugin", "run", "--json", "--event"])
            .arg(r#"{"type": "member.updated", "object": {"id": "m1"}}"#)
            .arg(&wasm)
            .output()
            .expect("plugin run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        (start.elapsed(), report["cached"] == true)
    };
    let (first, cached) = run();
    assert!(!cached, "the first run compiles");
    let mut later: Vec<Duration> = (0..5)
        .map(|_| {
            let (took, cached) = run();
            assert!(cached, "later runs come from the cache");
            took
        })
        .collect();
    later.sort_unstable();
    println!(
        "\nhookshape plugin run, JavaScript template (whole command): first {:.0} ms (compiles into the cache), then median {:.0} ms of 5",
        ms(first),
        ms(later[2])
    );
}
