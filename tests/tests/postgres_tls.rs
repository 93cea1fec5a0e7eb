//! TLS to PostgreSQL, against a local server with a certificate the test made: `verify-full`
//! connects only to a server whose certificate its CA signed for the host connected to,
//! `verify-ca` checks the chain but not the name, and every connection the store opens is
//! encrypted (read from the server's own `pg_stat_ssl`).

use hookshape::store::{Location, Store};
use hookshape_tests::postgres::psql;

/// The store's connections on the test's database: (encrypted, not encrypted).
fn encrypted(url: &str) -> (usize, usize) {
    let out = psql(
        url,
        "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl)
         FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
         WHERE a.datname = current_database() AND a.application_name LIKE 'hookshape %'",
    );
    let (yes, no) = out.split_once('|').expect("two counts");
    (yes.parse().expect("count"), no.parse().expect("count"))
}

/// A node's data directory: every open of a test shares its main key.
fn node_dir() -> &'static tempfile::TempDir {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
}

async fn open(url: &str) -> Result<Store, String> {
    Store::open_at(&Location::Postgres(url.to_owned()), node_dir().path(), None)
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_full_connects_only_to_the_certified_server_and_encrypts_every_connection() {
    let (url, ca) = hookshape_tests::postgres::tls_database();
    let ca = ca.display().to_string();

    let store = open(&format!("{url}?sslmode=verify-full&sslrootcert={ca}"))
        .await
        .expect("verify-full with the right CA");
    store.workspaces().await.expect("a query over TLS");
    let (yes, no) = encrypted(&url);
    assert!(yes >= 2, "the store's connections are encrypted: {yes}");
    assert_eq!(no, 0, "none is in the clear");
    store.close().await;
    drop(store);

    // Another CA: the server is not trusted.
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other_ca = hookshape_tests::certs::ca(other_dir.path(), "other-ca");
    let refused = open(&format!(
        "{url}?sslmode=verify-full&sslrootcert={}",
        other_ca.display()
    ))
    .await
    .err()
    .expect("an unknown CA is refused");
    assert!(refused.contains("UnknownIssuer"), "{refused}");

    // The same server under a name its certificate does not have: refused by verify-full,
    // accepted by verify-ca (the chain is good).
    let renamed = url.replacen("127.0.0.1", "127.0.0.2", 1);
    let refused = open(&format!("{renamed}?sslmode=verify-full&sslrootcert={ca}"))
        .await
        .err()
        .expect("another name is refused");
    assert!(refused.contains("not valid for name"), "{refused}");
    let store = open(&format!("{renamed}?sslmode=verify-ca&sslrootcert={ca}"))
        .await
        .expect("verify-ca checks the chain only");
    store.close().await;

    // A missing CA file is said plainly.
    let missing = open(&format!(
        "{url}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"
    ))
    .await
    .err()
    .expect("refused");
    assert!(
        missing.contains("sslrootcert /nonexistent/ca.pem"),
        "{missing}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_stays_in_the_clear_and_require_encrypts() {
    let (url, _) = hookshape_tests::postgres::tls_database();
    let store = open(&format!("{url}?sslmode=disable")).await.expect("open");
    store.workspaces().await.expect("query");
    let (yes, no) = encrypted(&url);
    assert_eq!(yes, 0);
    assert!(no >= 1);
    store.close().await;
    drop(store);

    let (url, _) = hookshape_tests::postgres::tls_database();
    let store = open(&format!("{url}?sslmode=require")).await.expect("open");
    store.workspaces().await.expect("query");
    let (yes, no) = encrypted(&url);
    assert!(yes >= 1);
    assert_eq!(no, 0);
    store.close().await;
}
