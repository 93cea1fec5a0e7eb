//! The OpenAPI document against the routes it describes: every route is in it, it is valid
//! OpenAPI 3.1 (checked by openapi-spec-validator), and every operation documents what it
//! answers to bad input.

use hookshape_tests::app::TestApp;
use serde_json::json;

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::spawn().await;
    let doc = app
        .call_with("GET", "/openapi.json", None, None, &[])
        .await
        .body;
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    let resources = [
        ("post", "/v1/plugins"),
        ("get", "/v1/plugins"),
        ("get", "/v1/plugins/{id}"),
        ("delete", "/v1/plugins/{id}"),
        ("post", "/v1/subscriptions"),
        ("get", "/v1/subscriptions"),
        ("get", "/v1/subscriptions/{id}"),
        ("patch", "/v1/subscriptions/{id}"),
        ("delete", "/v1/subscriptions/{id}"),
        ("get", "/v1/subscriptions/{id}/secret"),
        ("post", "/v1/subscriptions/{id}/secret/rotate"),
        ("post", "/v1/subscriptions/{id}/test"),
        ("get", "/v1/subscriptions/{id}/deliveries"),
        ("post", "/v1/events"),
        ("get", "/v1/events"),
        ("get", "/v1/events/{id}"),
        ("get", "/v1/events/{id}/deliveries"),
        ("get", "/v1/deliveries"),
        ("get", "/v1/deliveries/{id}"),
        ("post", "/v1/deliveries/{id}/retry"),
        ("post", "/v1/deliveries/recover"),
        ("post", "/v1/subscriptions/{id}/circuit/close"),
        ("get", "/v1/subscriptions/{id}/candidate"),
        ("put", "/v1/subscriptions/{id}/candidate"),
        ("delete", "/v1/subscriptions/{id}/candidate"),
        ("post", "/v1/subscriptions/{id}/candidate/promote"),
        ("post", "/v1/subscriptions/{id}/rollback"),
        ("post", "/v1/plugins/{id}/run"),
        ("post", "/v1/event-types"),
        ("get", "/v1/event-types"),
        ("get", "/v1/event-types/{name}"),
        ("patch", "/v1/event-types/{name}"),
        ("delete", "/v1/event-types/{name}"),
        ("post", "/v1/event-types/import"),
        ("post", "/v1/portal-links"),
        ("post", "/v1/portal-links/expire-all"),
    ];
    // Each resource route, un-prefixed (the token's workspace, or `default`) and under
    // `/v1/workspaces/{ws}`; then the admin's own routes.
    let mut expected: Vec<(&str, String)> = resources
        .iter()
        .flat_map(|(m, p)| {
            [
                (*m, (*p).to_owned()),
                (*m, p.replace("/v1/", "/v1/workspaces/{ws}/")),
            ]
        })
        .collect();
    for (m, p) in [
        ("post", "/v1/workspaces"),
        ("get", "/v1/workspaces"),
        ("get", "/v1/workspaces/{ws}"),
        ("patch", "/v1/workspaces/{ws}"),
        ("delete", "/v1/workspaces/{ws}"),
        ("post", "/v1/tokens"),
        ("get", "/v1/tokens"),
        ("delete", "/v1/tokens/{id}"),
        ("get", "/v1/me"),
        ("get", "/v1/listen/{session}"),
        ("post", "/v1/listen/{session}/{request}"),
    ] {
        expected.push((m, p.to_owned()));
    }
    let paths = doc["paths"].as_object().expect("paths");
    let documented: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(
        documented,
        expected.len(),
        "every documented operation is expected, and vice versa"
    );
    for (method, path) in &expected {
        let op = &doc["paths"][path.as_str()][*method];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert_eq!(
            op["security"][0]["bearer"],
            json!([]),
            "{method} {path} needs the token"
        );
        let described = format!("{}{}", op["summary"], op["description"]);
        assert!(
            described.contains("Needs `"),
            "{method} {path} does not say which role it needs"
        );
        // Each documented route exists: without a token it answers 401, not 404.
        let probe = path.replace("{id}", "x").replace("{ws}", "default");
        let r = app
            .call_with(&method.to_uppercase(), &probe, None, None, &[])
            .await;
        assert_eq!(r.status, 401, "{method} {path}");
    }
    assert!(doc["components"]["schemas"]["SubscriptionIn"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// The served document passes an independent validator (`openapi-spec-validator`, from
/// PyPI, in the verifiers' venv), so client generators can use it.
#[tokio::test]
async fn the_openapi_document_is_valid() {
    let app = TestApp::spawn().await;
    let doc = app
        .call_with("GET", "/openapi.json", None, None, &[])
        .await
        .body;
    let file = tempfile::NamedTempFile::new().expect("tempfile");
    std::fs::write(file.path(), doc.to_string()).expect("write");
    let python =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("verifiers/.venv/bin/python");
    assert!(python.is_file(), "run `bash .ci/setup` first");
    let out = std::process::Command::new(python)
        .args(["-m", "openapi_spec_validator"])
        .arg(file.path())
        .output()
        .expect("run the validator");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Statuses and outcomes are enums, times are date-times.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["DeliveryStatusIo"]["enum"],
        serde_json::json!(["pending", "succeeded", "dropped", "failed"])
    );
    assert_eq!(
        schemas["AttemptOutcomeIo"]["enum"],
        serde_json::json!(["succeeded", "failed", "dropped"])
    );
    assert_eq!(
        schemas["DeliveryOut"]["properties"]["created"]["format"],
        "date-time"
    );
    // Operation ids are unique.
    let mut ids = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            if let Some(id) = op["operationId"].as_str() {
                let before = ids.insert(id.to_owned(), format!("{method} {path}"));
                assert!(
                    before.is_none(),
                    "operationId {id} twice: {before:?} and {method} {path}"
                );
            }
        }
    }
}

/// What each operation really answers to bad input is among the statuses it documents.
#[tokio::test]
async fn every_operation_documents_what_it_answers_to_bad_input() {
    let app = TestApp::spawn().await;
    let doc = app
        .call_with("GET", "/openapi.json", None, None, &[])
        .await
        .body;
    let client = reqwest::Client::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let documented: Vec<&String> = op["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .collect();
            let url = format!(
                "{}{}",
                app.base,
                path.replace("{id}", "x").replace("{ws}", "default")
            );
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let mut tries = vec![("no token", client.request(m.clone(), &url))];
            let json_body = op["requestBody"]["content"]["application/json"].is_object();
            if json_body {
                tries.push((
                    "malformed JSON",
                    client
                        .request(m.clone(), &url)
                        .bearer_auth(hookshape_tests::app::TOKEN)
                        .header("content-type", "application/json")
                        .body("{not json"),
                ));
                tries.push((
                    "wrong content type",
                    client
                        .request(m.clone(), &url)
                        .bearer_auth(hookshape_tests::app::TOKEN)
                        .header("content-type", "text/plain")
                        .body("{}"),
                ));
            }
            for (what, req) in tries {
                let status = req
                    .send()
                    .await
                    .expect("request")
                    .status()
                    .as_u16()
                    .to_string();
                assert!(
                    documented.contains(&&status),
                    "{method} {path} with {what} answers {status}, documented: {documented:?}"
                );
            }
            for r in op["responses"].as_object().expect("responses").values() {
                assert!(
                    r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {path}: a response without a description"
                );
            }
        }
    }
}
