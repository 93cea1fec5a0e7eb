//! Key layout of the main tree (blobs have trees of their own, keyed by id; attempts by
//! [`attempt`]). Every key starts with a short prefix naming its kind;
//! ids never contain `/`, so `/` separates parts. Times are big-endian so keys sort by time.
//!
//! | key | value |
//! | --- | --- |
//! | `m/token` | (earlier versions: the generated admin token in clear; moved to `t/` at open) |
//! | `m/schema` | layout version (2: workspaces) |
//! | `w/{workspace}` | workspace |
//! | `t/{sha256 of token}` | token record (the token itself is never stored) |
//! | `ti/{token id}` | sha256 of the token (to revoke by id) |
//! | `p/{plugin}` | plugin record (content-addressed, shared by the workspaces that uploaded it) |
//! | `wp/{workspace}/{plugin}` | the workspace's reference to a plugin, with its name |
//! | `s/{subscription}` | subscription (it names its workspace) |
//! | `ws/{workspace}/{subscription}` | (subscriptions of a workspace) |
//! | `e/{event key}` | (the event exists and its jobs are committed; its body is in the `events` tree; the key is `{workspace}/{id}`, or the bare id in `default`) |
//! | `et/{received ms}{event}` | (time index, for retention) |
//! | `d/{delivery}` | delivery |
//! | `ed/{event}/{delivery}` | (deliveries of an event) |
//! | `sd/{subscription}/{delivery}` | (deliveries of a subscription, ULID = time order) |
//! | `q/{subscription}/{due ms}{delivery}` | (a job due at that time; one queue per subscription, also kept in memory) |
//! | `l/{delivery}` | (earlier versions: a job taken off its queue for an attempt; requeued at start) |
//! | `c/{workspace}/{event type}` | catalog entry (an empty workspace: global) |
//! | `ob/{subscription}` | the subscription's open batch: a pending, never attempted delivery that still takes events |
//! | `ss/{subscription}/{status letter}/{delivery}` | (deliveries of a subscription by status: `p`ending, `s`ucceeded, `d`ropped, `f`ailed) |
//! | `i/{nonce}` | a publish under way: what it writes, to complete or undo it at open (the `e/` marker holds the nonce of the publish that won) |

use crate::model::DeliveryStatus;

pub const TOKEN: &[u8] = b"m/token";
pub const SCHEMA: &[u8] = b"m/schema";

pub fn workspace(id: &str) -> Vec<u8> {
    join(&[b"w/", id.as_bytes()])
}
pub const WORKSPACES: &[u8] = b"w/";
pub fn token(hash: &str) -> Vec<u8> {
    join(&[b"t/", hash.as_bytes()])
}
pub const TOKENS: &[u8] = b"t/";
pub fn token_id(id: &str) -> Vec<u8> {
    join(&[b"ti/", id.as_bytes()])
}
pub fn workspace_plugin(ws: &str, plugin: &str) -> Vec<u8> {
    join(&[b"wp/", ws.as_bytes(), b"/", plugin.as_bytes()])
}
pub fn workspace_plugins(ws: &str) -> Vec<u8> {
    join(&[b"wp/", ws.as_bytes(), b"/"])
}
pub const WORKSPACE_PLUGINS: &[u8] = b"wp/";
pub fn workspace_subscription(ws: &str, sub: &str) -> Vec<u8> {
    join(&[b"ws/", ws.as_bytes(), b"/", sub.as_bytes()])
}
pub fn workspace_subscriptions(ws: &str) -> Vec<u8> {
    join(&[b"ws/", ws.as_bytes(), b"/"])
}

pub fn catalog(ws: Option<&str>, name: &str) -> Vec<u8> {
    join(&[&catalog_of(ws), name.as_bytes()])
}
pub fn catalog_of(ws: Option<&str>) -> Vec<u8> {
    join(&[b"c/", ws.unwrap_or_default().as_bytes(), b"/"])
}

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

pub fn plugin(id: &str) -> Vec<u8> {
    join(&[b"p/", id.as_bytes()])
}
pub fn subscription(id: &str) -> Vec<u8> {
    join(&[b"s/", id.as_bytes()])
}
pub fn event(id: &str) -> Vec<u8> {
    join(&[b"e/", id.as_bytes()])
}
pub fn event_time(ms: u64, id: &str) -> Vec<u8> {
    join(&[b"et/", &ms.to_be_bytes(), id.as_bytes()])
}
pub fn delivery(id: &str) -> Vec<u8> {
    join(&[b"d/", id.as_bytes()])
}
pub fn event_delivery(event: &str, delivery: &str) -> Vec<u8> {
    join(&[b"ed/", event.as_bytes(), b"/", delivery.as_bytes()])
}
pub fn event_deliveries(event: &str) -> Vec<u8> {
    join(&[b"ed/", event.as_bytes(), b"/"])
}
pub fn sub_delivery(sub: &str, delivery: &str) -> Vec<u8> {
    join(&[b"sd/", sub.as_bytes(), b"/", delivery.as_bytes()])
}
pub fn sub_deliveries(sub: &str) -> Vec<u8> {
    join(&[b"sd/", sub.as_bytes(), b"/"])
}
/// Key of an attempt in the `attempts` tree.
pub fn attempt(delivery: &str, number: u32) -> Vec<u8> {
    join(&[delivery.as_bytes(), b"/", &number.to_be_bytes()])
}
/// Prefix of a delivery's attempts in the `attempts` tree.
pub fn attempts(delivery: &str) -> Vec<u8> {
    join(&[delivery.as_bytes(), b"/"])
}
pub fn due(sub: &str, ms: u64, delivery: &str) -> Vec<u8> {
    join(&[
        b"q/",
        sub.as_bytes(),
        b"/",
        &ms.to_be_bytes(),
        delivery.as_bytes(),
    ])
}
pub fn queue(sub: &str) -> Vec<u8> {
    join(&[b"q/", sub.as_bytes(), b"/"])
}
pub fn open_batch(sub: &str) -> Vec<u8> {
    join(&[b"ob/", sub.as_bytes()])
}
/// The letter of a status in [`sub_status`] keys.
fn status_letter(status: DeliveryStatus) -> &'static [u8] {
    match status {
        DeliveryStatus::Pending => b"p",
        DeliveryStatus::Succeeded => b"s",
        DeliveryStatus::Dropped => b"d",
        DeliveryStatus::Failed => b"f",
    }
}
pub const STATUSES: [DeliveryStatus; 4] = [
    DeliveryStatus::Pending,
    DeliveryStatus::Succeeded,
    DeliveryStatus::Dropped,
    DeliveryStatus::Failed,
];
pub fn sub_status(sub: &str, status: DeliveryStatus, delivery: &str) -> Vec<u8> {
    join(&[&sub_statuses(sub, status), delivery.as_bytes()])
}
pub fn sub_statuses(sub: &str, status: DeliveryStatus) -> Vec<u8> {
    join(&[b"ss/", sub.as_bytes(), b"/", status_letter(status), b"/"])
}
#[cfg(test)]
pub fn intent(nonce: &str) -> Vec<u8> {
    join(&[b"i/", nonce.as_bytes()])
}
pub const INTENTS: &[u8] = b"i/";
pub const LEASE: &[u8] = b"l/";
pub const EVENT_TIME: &[u8] = b"et/";

/// Splits a time-prefixed key (`q/{sub}/…`, `et/…`) into its time and id.
pub fn split_timed(key: &[u8], prefix: &[u8]) -> Option<(u64, String)> {
    let rest = key.strip_prefix(prefix)?;
    let (time, id) = rest.split_at_checked(8)?;
    let ms = u64::from_be_bytes(time.try_into().ok()?);
    Some((ms, String::from_utf8(id.to_vec()).ok()?))
}

/// Splits a queue key (`q/{sub}/{due ms}{delivery}`) into its parts.
pub fn split_queue(key: &[u8]) -> Option<(String, u64, String)> {
    let rest = key.strip_prefix(QUEUES)?;
    let slash = rest.iter().position(|b| *b == b'/')?;
    let sub = std::str::from_utf8(&rest[..slash]).ok()?.to_owned();
    let (ms, id) = split_timed(&rest[slash..], b"/")?;
    Some((sub, ms, id))
}
pub const QUEUES: &[u8] = b"q/";

/// The id after a prefix (`l/{id}`, `ed/{event}/{id}`).
pub fn suffix_id(key: &[u8], prefix: &[u8]) -> Option<String> {
    String::from_utf8(key.strip_prefix(prefix)?.to_vec()).ok()
}

/// The first key after every key that starts with `prefix`.
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    end.push(0xff);
    end
}
