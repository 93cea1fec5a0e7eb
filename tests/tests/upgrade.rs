//! A data directory written before workspaces existed (`tests/fixtures/`, made by that
//! release: one plugin, one subscription with a known secret, one event with its delivery,
//! and a generated admin token) opens with this one: everything lands in `default`, and the
//! old admin token and un-prefixed routes keep working.

use std::process::Command;

use hookshape::server;
use hookshape_tests::app::test_config;
use serde_json::json;

const OLD_TOKEN: &str = "hs_mT0HwUwGzCmPyY9Was1YYNLOdPrQXQbXQrKq0U40";
const OLD_SECRET: &str = "whsec_dXBncmFkZS1maXh0dXJlLXNlY3JldC0xMjM0";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_directory_from_before_workspaces_opens_into_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/data-dir-before-workspaces.tar.gz"
    );
    let untarred = Command::new("tar")
        .args(["xzf", fixture, "-C"])
        .arg(dir.path())
        .status()
        .expect("tar");
    assert!(untarred.success());

    let mut config = test_config(dir.path());
    config.token = None; // the generated token stored by the old release must work
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let server = server::start(config, listener).await.expect("starts");
    assert!(server.new_token.is_none(), "no new admin token is made");
    let base = format!("http://{}", server.addr);
    let client = reqwest::Client::new();
    let get = |path: &str| {
        let req = client.get(format!("{base}{path}")).bearer_auth(OLD_TOKEN);
        async move {
            let r = req.send().await.expect("request");
            let status = r.status().as_u16();
            (
                status,
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };

    let (status, subs) = get("/v1/subscriptions").await;
    assert_eq!(status, 200, "{subs}");
    let subs = subs["data"].as_array().expect("data").clone();
    assert_eq!(subs.len(), 1, "{subs:?}");
    let sub = &subs[0];
    assert_eq!(sub["workspace"], "default");
    assert_eq!(sub["live"], true);
    assert_eq!(sub["metadata"]["fixture"], "yes");
    let sub_id = sub["id"].as_str().expect("id");
    let (_, secret) = get(&format!("/v1/subscriptions/{sub_id}/secret")).await;
    assert_eq!(secret["secret"], OLD_SECRET);
    let (_, plugins) = get("/v1/plugins").await;
    assert_eq!(
        plugins["data"].as_array().map(Vec::len),
        Some(1),
        "{plugins}"
    );
    assert_eq!(sub["plugin"]["id"], plugins["data"][0]["id"]);
    let (status, deliveries) = get("/v1/events/evt_fixture/deliveries").await;
    assert_eq!(status, 200, "{deliveries}");
    assert_eq!(deliveries["data"][0]["subscriptionId"], sub_id);
    let (status, same) = get("/v1/workspaces/default/events/evt_fixture/deliveries").await;
    // The same deliveries by either route (compared by id: the fixture's delivery is due, so
    // an attempt may land between the two reads).
    let ids = |page: &serde_json::Value| {
        page["data"]
            .as_array()
            .map(|a| a.iter().map(|d| d["id"].clone()).collect::<Vec<_>>())
    };
    assert_eq!((status, ids(&same)), (200, ids(&deliveries)));
    let (_, workspaces) = get("/v1/workspaces").await;
    assert!(
        workspaces["data"]
            .as_array()
            .expect("data")
            .iter()
            .any(|w| w["id"] == "default"),
        "{workspaces}"
    );

    // Publishing keeps working: the old id is a duplicate, a new event reaches the old
    // subscription through its plugin.
    let publish = |body: serde_json::Value| {
        let req = client
            .post(format!("{base}/v1/events"))
            .bearer_auth(OLD_TOKEN)
            .json(&body);
        async move {
            let r = req.send().await.expect("publish");
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let (status, again) =
        publish(json!({"id": "evt_fixture", "type": "member.updated", "object": {}})).await;
    assert_eq!((status, &again["duplicate"]), (202, &json!(true)));
    let (status, fresh) = publish(json!({"type": "member.created", "object": {"id": "m2"}})).await;
    assert_eq!((status, &fresh["deliveries"]), (202, &json!(1)), "{fresh}");
    server.shutdown().await;
}
