//! "A 202 is on disk", checked where it could break: the real binary runs under `strace`,
//! and for every acknowledged publish the trace must show, after the last write to the
//! store's journal (`kv/journals/…`) and before the 202 reaches the socket, an
//! `fdatasync`/`fsync` of the journal that began after the write. (`sync_file_range` does not count: it persists neither
//! the file's new size nor the drive's cache.)

use std::process::{Command, Stdio};

use hookshape_tests::child::{free_port, wait_healthy};
use hookshape_tests::receiver::TestReceiver;
use serde_json::json;

const TOKEN: &str = "trace-test-token";

/// One line of the trace, reduced to what the check needs.
#[derive(Debug, PartialEq)]
enum Step {
    /// A write to the journal (`kv/journals/…`).
    LogWrite,
    /// An fdatasync/fsync of the log file began (index of the call, to pair with its end).
    SyncStart(usize),
    /// That call returned 0.
    SyncEnd(usize),
    /// A 202 went out on a socket.
    Accepted,
}

/// Reads strace's output (`-f -y`: every line names the file of its descriptor) into steps.
/// A call interrupted by another thread's shows as `… <unfinished ...>` then
/// `<... name resumed>`; they are paired by thread id.
fn steps(trace: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut open_syncs: std::collections::HashMap<String, usize> = Default::default();
    let mut syncs = 0;
    for line in trace.lines() {
        let (pid, rest) = line.split_once(' ').unwrap_or(("", line));
        let rest = rest.trim_start();
        let on_log = rest.contains("/kv/journals/");
        let is_sync = rest.starts_with("fdatasync(") || rest.starts_with("fsync(");
        if is_sync && on_log {
            out.push(Step::SyncStart(syncs));
            if rest.ends_with("<unfinished ...>") {
                open_syncs.insert(pid.to_owned(), syncs);
            } else if rest.ends_with("= 0") {
                out.push(Step::SyncEnd(syncs));
            }
            syncs += 1;
        } else if rest.starts_with("<... fdatasync resumed>")
            || rest.starts_with("<... fsync resumed>")
        {
            if let Some(n) = open_syncs.remove(pid)
                && rest.ends_with("= 0")
            {
                out.push(Step::SyncEnd(n));
            }
        } else if on_log && (rest.starts_with("pwrite64(") || rest.starts_with("write(")) {
            out.push(Step::LogWrite);
        } else if rest.contains("HTTP/1.1 202") {
            out.push(Step::Accepted);
        }
    }
    out
}

/// For each 202 in order: whether a sync of the log began after the last log write before
/// it and ended before it.
fn synced_before_each_202(steps: &[Step]) -> Vec<bool> {
    let mut verdicts = Vec::new();
    let mut last_write = None;
    let mut started: std::collections::HashMap<usize, usize> = Default::default();
    let mut covered = false;
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::LogWrite => {
                last_write = Some(i);
                covered = false;
            }
            Step::SyncStart(n) => {
                started.insert(*n, i);
            }
            Step::SyncEnd(n) => {
                if started
                    .get(n)
                    .is_some_and(|s| last_write.is_none_or(|w| *s > w))
                {
                    covered = true;
                }
            }
            Step::Accepted => verdicts.push(covered && last_write.is_some()),
        }
    }
    verdicts
}

#[test]
fn the_checker_refuses_a_202_without_a_sync_after_the_write() {
    use Step::*;
    // Written, synced (sync began after the write), accepted: fine.
    assert_eq!(
        synced_before_each_202(&[LogWrite, SyncStart(0), SyncEnd(0), Accepted]),
        [true]
    );
    // A sync that began before the write does not cover it.
    assert_eq!(
        synced_before_each_202(&[SyncStart(0), LogWrite, SyncEnd(0), Accepted]),
        [false]
    );
    // No sync at all (what `sync_file_range` alone looks like here).
    assert_eq!(synced_before_each_202(&[LogWrite, Accepted]), [false]);
    let parsed = steps(
        "12 pwrite64(7</d/kv/journals/0>, \"x\", 1, 0) = 1\n\
         13 fdatasync(7</d/kv/journals/0> <unfinished ...>\n\
         12 sync_file_range(7</d/kv/journals/0>, 0, 1, 7) = 0\n\
         13 <... fdatasync resumed>) = 0\n\
         14 write(9<TCP:[1->2]>, \"HTTP/1.1 202 Accepted\\r\\n\"..., 200) = 200\n",
    );
    assert_eq!(parsed, [LogWrite, SyncStart(0), SyncEnd(0), Accepted]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_202_follows_an_fdatasync_of_the_written_log() {
    let data = tempfile::tempdir().expect("tempdir");
    let trace_file = data.path().join("trace.txt");
    let store_dir = data.path().join("store");
    let rx = TestReceiver::start().await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new("strace")
        .args(["-f", "-y", "-s", "24", "-o"])
        .arg(&trace_file)
        .args([
            "-e",
            "trace=pwrite64,write,writev,sendto,sendmsg,fsync,fdatasync,sync_file_range",
        ])
        .arg(env!("CARGO_BIN_EXE_hookshape-cli"))
        .arg("serve")
        .arg("--data-dir")
        .arg(&store_dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--allow-http", "--allow-ip", "127.0.0.1/32"])
        .env("HOOKSHAPE_TOKEN", TOKEN)
        .env("HOOKSHAPE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("strace must be installed (.ci/setup installs it)");
    let client = reqwest::Client::new();
    wait_healthy(&client, &base).await;
    let created = client
        .post(format!("{base}/v1/subscriptions"))
        .bearer_auth(TOKEN)
        .json(&json!({"url": rx.url("/trace"), "events": ["*"]}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(created.status(), 201);

    // One at a time, so that each 202 has its own writes before it.
    let published = 20;
    for n in 0..published {
        let r = client
            .post(format!("{base}/v1/events"))
            .bearer_auth(TOKEN)
            .json(
                &json!({"id": format!("evt_trace_{n}"), "type": "member.updated",
                          "object": {"id": n, "name": "Ada"}}),
            )
            .send()
            .await
            .expect("publish");
        assert_eq!(r.status(), 202);
    }
    // SIGTERM through strace would stop the trace before the server ends: kill both.
    let _ = child.kill();
    let _ = child.wait();

    let trace = std::fs::read_to_string(&trace_file).expect("trace");
    let steps = steps(&trace);
    let verdicts = synced_before_each_202(&steps);
    assert!(
        verdicts.len() >= published,
        "the trace shows {} 202s for {published} publishes",
        verdicts.len()
    );
    let writes = steps.iter().filter(|s| **s == Step::LogWrite).count();
    assert!(
        writes >= published,
        "only {writes} writes to the log were traced"
    );
    let unsynced = verdicts.iter().filter(|ok| !**ok).count();
    assert_eq!(
        unsynced,
        0,
        "{unsynced} of {} 202s went out with the log's last write not yet fdatasynced",
        verdicts.len()
    );
}
