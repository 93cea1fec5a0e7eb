//! "Acknowledged means durable", proven by simulated power cuts. The data directory lives on
//! `tests/powercut/powercutfs.py`, a FUSE passthrough that keeps track of every write not
//! yet fsynced (and every directory entry whose directory was not fsynced) and throws them
//! away at a cut, as a disk losing power would (the model is LazyFS). Publishers run; at a
//! random moment the power goes; the server is killed; twenty times over the same data. Then
//! the server starts on what the disk kept: every event, subscription, plugin and key that
//! was acknowledged is there, every acknowledged event is delivered, and no delivery is left
//! pending without a job.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookshape_tests::child::{free_port, serve_command, wait_healthy};
use hookshape_tests::receiver::TestReceiver;
use serde_json::{Value, json};

const TOKEN: &str = "power-test-token";
const CYCLES: usize = 20;

/// The power-cut file system, mounted.
struct PowerCutFs {
    child: Child,
    lines: mpsc::Receiver<String>,
    mnt: PathBuf,
}

impl PowerCutFs {
    fn mount(backing: &Path, mnt: &Path) -> PowerCutFs {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let python = manifest.join("verifiers/.venv/bin/python");
        assert!(
            python.is_file(),
            "{} is missing: run `bash .ci/setup`",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(manifest.join("powercut/powercutfs.py"))
            .arg(backing)
            .arg(mnt)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start powercutfs");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let fs = PowerCutFs {
            child,
            lines,
            mnt: mnt.to_owned(),
        };
        fs.expect_line("mounted");
        fs
    }

    fn expect_line(&self, wanted: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.trim() == wanted => return,
                Ok(_) => {}
                Err(e) => panic!("powercutfs did not say `{wanted}`: {e}"),
            }
        }
    }

    /// The power goes: unsynced writes are thrown away, and every later operation fails.
    fn cut(&self) {
        let sent = Command::new("kill")
            .args(["-USR1", &self.child.id().to_string()])
            .status()
            .expect("kill -USR1");
        assert!(sent.success());
        self.expect_line("cut done");
    }

    fn unmount(mut self) {
        let _ = Command::new("fusermount")
            .args(["-u", "-z"])
            .arg(&self.mnt)
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_server(data: &Path, port: u16) -> Child {
    serve_command(env!("CARGO_BIN_EXE_hookshape-cli"), data, port, TOKEN)
        .spawn()
        .expect("spawn hookshape")
}

async fn get_json(client: &reqwest::Client, url: &str) -> Value {
    client
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json")
}

/// A small generator, seeded per run (the seed is printed, to replay a failure).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Publishes `{prefix}_{n}` from four publishers until the server stops answering; the ids
/// that got a 202.
fn start_publishers(
    client: &reqwest::Client,
    base: &str,
    prefix: &str,
) -> (Arc<Mutex<Vec<String>>>, Vec<tokio::task::JoinHandle<()>>) {
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut tasks = Vec::new();
    for worker in 0..4 {
        let (client, base, acked) = (client.clone(), base.to_owned(), acked.clone());
        let prefix = prefix.to_owned();
        tasks.push(tokio::spawn(async move {
            for n in 0.. {
                let id = format!("{prefix}_{worker}_{n}");
                let sent = client
                    .post(format!("{base}/v1/events"))
                    .bearer_auth(TOKEN)
                    .timeout(Duration::from_secs(10))
                    .json(&json!({"id": id, "type": "member.updated",
                                  "object": {"id": n, "email": "ada@example.com", "name": "Ada"}}))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 202 => acked.lock().expect("lock").push(id),
                    // After the cut the disk fails every write: the server answers 5xx or dies.
                    _ => return,
                }
            }
        }));
    }
    (acked, tasks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_twenty_power_cuts() {
    let root = tempfile::tempdir().expect("tempdir");
    let (backing, mnt) = (root.path().join("backing"), root.path().join("mnt"));
    std::fs::create_dir_all(&backing).expect("backing");
    std::fs::create_dir_all(&mnt).expect("mountpoint");
    let rx = TestReceiver::start().await;
    let client = reqwest::Client::new();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    eprintln!("power-cut seed {seed}");
    let mut rng = Rng(seed);

    let mut acked: HashSet<String> = HashSet::new();
    let mut subscription = None;
    for cycle in 0..CYCLES {
        let fs = PowerCutFs::mount(&backing, &mnt);
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = spawn_server(&mnt.join("data"), port);
        wait_healthy(&client, &base).await;
        if subscription.is_none() {
            // The first cycle writes the main key, a plugin file and a subscription: each is
            // acknowledged, so each must outlive the cut that follows.
            let plugin: Value = client
                .post(format!("{base}/v1/plugins?name=select-fields"))
                .bearer_auth(TOKEN)
                .body(hookshape_tests::plugin_bytes("select-fields"))
                .send()
                .await
                .expect("upload")
                .json()
                .await
                .expect("plugin");
            let created = client
                .post(format!("{base}/v1/subscriptions"))
                .bearer_auth(TOKEN)
                .json(&json!({"url": rx.url("/power"), "events": ["*"],
                    "plugin": {"id": plugin["id"], "config": {"fields": ["id", "email"]}}}))
                .send()
                .await
                .expect("subscribe");
            assert_eq!(created.status(), 201, "{:?}", created.text().await);
            let sub: Value = created.json().await.expect("subscription");
            subscription = Some(sub["id"].as_str().expect("id").to_owned());
        }
        let (cycle_acked, publishers) = start_publishers(&client, &base, &format!("evt_p{cycle}"));
        tokio::time::sleep(Duration::from_millis(50 + rng.below(1_200))).await;
        fs.cut();
        let _ = server.kill();
        let _ = server.wait();
        for p in publishers {
            let _ = p.await;
        }
        fs.unmount();
        let got = cycle_acked.lock().expect("lock").clone();
        eprintln!("cycle {cycle}: {} acknowledged before the cut", got.len());
        acked.extend(got);
    }
    assert!(
        acked.len() > CYCLES,
        "too few publishes were acknowledged to mean anything"
    );

    // What the disk kept, served without the FUSE layer.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = spawn_server(&backing.join("data"), port);
    wait_healthy(&client, &base).await;
    let subs = get_json(&client, &format!("{base}/v1/subscriptions")).await;
    assert_eq!(
        subs["data"][0]["id"].as_str(),
        subscription.as_deref(),
        "the acknowledged subscription is gone: {subs}"
    );
    let mut missing = rx.missing_ids(&acked, Duration::from_secs(120)).await;
    missing.truncate(5);
    // Every delivery that exists is finished: none is left pending by a publish the cut
    // interrupted, and the plugin (a file written at upload) ran for all of them.
    let deadline = Instant::now() + Duration::from_secs(30);
    let (pending, failed) = loop {
        let count = |status: &'static str| {
            let url = format!("{base}/v1/deliveries?status={status}&limit=250");
            let client = client.clone();
            async move {
                let page = get_json(&client, &url).await;
                page["data"].as_array().map_or(0, Vec::len)
            }
        };
        let (pending, failed) = (count("pending").await, count("failed").await);
        if (pending == 0 && failed == 0) || Instant::now() > deadline {
            break (pending, failed);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let _ = server.kill();
    let _ = server.wait();
    eprintln!(
        "{} acknowledged over {CYCLES} cuts; {} requests arrived",
        acked.len(),
        rx.received().len()
    );
    assert!(
        missing.is_empty(),
        "acknowledged events never delivered after the cuts, e.g. {missing:?}"
    );
    assert_eq!(
        (pending, failed),
        (0, 0),
        "deliveries left pending / failed"
    );
}
