//! JSON request bodies: what is parsed, and what a body that is not right is told.

use hookshape_tests::app::{TOKEN, TestApp};
use serde_json::json;

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_told_where() {
    let app = TestApp::spawn().await;
    let r = app
        .call(
            "POST",
            "/v1/events",
            Some(json!({"type": "a.b", "object": {}, "live": "yes"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (422, Some("invalid_body")),
        "{r:?}"
    );
    let detail = r.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("live"), "{detail}");

    // Any JSON media type is JSON; anything else is refused.
    let send = |content_type: &'static str| {
        app.client
            .post(format!("{}/v1/events", app.base))
            .bearer_auth(TOKEN)
            .header("content-type", content_type)
            .body(r#"{"type": "a.b", "object": {"n": 1}}"#)
            .send()
    };
    let ok = send("application/vnd.api+json; charset=utf-8")
        .await
        .expect("send");
    assert_eq!(ok.status(), 202);
    let ok = send("Application/JSON").await.expect("send");
    assert_eq!(ok.status(), 202);
    let refused = send("text/plain").await.expect("send");
    assert_eq!(refused.status(), 415);
}
