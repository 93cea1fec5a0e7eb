//! The PostgreSQL engine, for several `serve` nodes on one database: the only module that
//! names the driver.
//!
//! - Every write that must be atomic is one transaction; a publish commits its event, its
//!   deliveries and their jobs together, and returns once PostgreSQL has committed (durable
//!   with the server's `synchronous_commit`).
//! - A job is a delivery row with `due_ms` set. Nodes claim jobs by setting a lease
//!   (`lease_until`, `lease_owner`) on rows picked `FOR UPDATE SKIP LOCKED`, so two nodes
//!   never take the same job; a dead node's leases run out and others take its jobs over.
//!   A node restarting with the same data directory takes back its own leases at once.
//! - Writes notify the `hookshape` channel: `j:{subscription}` for new jobs (other nodes wake
//!   that subscription), `s:{subscription}` for a changed subscription (other nodes reload
//!   it). A lost listening connection is re-made and reported as [`Change::Resync`].

mod claims;
mod engine_impl;
mod jobs;
mod options;
mod reads;
mod rows;
mod schema;
mod snapshots;
mod tenancy;
mod tls;

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::sync::broadcast;
use tokio_postgres::AsyncMessage;

use super::engine::Change;
use super::{Result, StoreError};

/// The channel every node listens on.
const CHANNEL: &str = "hookshape";
/// The start of every node's `application_name`.
const APP: &str = "hookshape";

/// Wake-ups waiting for the notifier, at most; more are dropped (the sweep finds their jobs).
const WAKE_QUEUE: usize = 4096;

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.as_db_error() {
            // Connection exceptions, the server shutting down or starting, too many clients.
            Some(db)
                if db.code().code().starts_with("08")
                    || db.code().code().starts_with("57P")
                    || db.code().code() == "53300" =>
            {
                StoreError::Unavailable(format!("postgres: {}", db.message()))
            }
            Some(db) => StoreError::Engine(format!("postgres: {}", db.message())),
            // No answer from the server at all: refused, reset, closed, timed out.
            None if e.is_closed()
                || ["error connecting", "error communicating", "timeout waiting"]
                    .iter()
                    .any(|p| e.to_string().starts_with(p)) =>
            {
                StoreError::Unavailable(format!("postgres: {e}"))
            }
            // The cause too: "error performing TLS handshake" alone does not say which.
            None => StoreError::Engine(format!("postgres: {}", with_causes(&e))),
        }
    }
}

/// An error and each of its sources, joined with ": ".
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            deadpool_postgres::PoolError::Timeout(_) | deadpool_postgres::PoolError::Closed => {
                StoreError::Unavailable(format!("postgres pool: {e}"))
            }
            other => StoreError::Engine(format!("postgres pool: {other}")),
        }
    }
}

pub struct PgStore {
    pool: Pool,
    /// Connections whose commits do not wait for the WAL fsync, for writes that may be lost
    /// in a crash of the database (engine invariant 4: attempts, last use of a token).
    lazy: Pool,
    /// Subscriptions with new jobs, told to the other nodes by one task in batches (see
    /// [`notifier`]).
    woken: tokio::sync::mpsc::Sender<String>,
    notifier: tokio::task::JoinHandle<()>,
    /// This node, as written in the leases it holds.
    node: String,
    changes: broadcast::Sender<Change>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.listener.abort();
        self.notifier.abort();
    }
}

impl PgStore {
    /// Connects, brings the schema up to date and checks that the database's secrets are
    /// sealed with `key_id`, the main key of this node. `node` names this node's leases.
    pub async fn connect(url: &str, key_id: &str, node: &str) -> Result<Self> {
        let options = options::Options::parse(url)?;
        let (shared, lazy_size) = options.pools();
        let mut config = options.config.clone();
        // Names this node and its budget to the others' start-up check (see `check_budget`).
        config.application_name(format!("{APP} {node} {}", options.connections));
        let tls = tls::connector(options.verify, options.root.as_deref())
            .map_err(|e| StoreError::Engine(format!("postgres TLS: {e}")))?;
        let pool = pool_of(config.clone(), shared, &tls)?;
        let mut lazy_config = config.clone();
        let server_options = match config.get_options() {
            Some(given) => format!("{given} -c synchronous_commit=off"),
            None => "-c synchronous_commit=off".to_owned(),
        };
        lazy_config.options(&server_options);
        let lazy = pool_of(lazy_config, lazy_size, &tls)?;
        migrate(&pool).await?;
        check_key(&pool, key_id).await?;
        check_budget(&pool, node, options.connections).await?;
        let (changes, _) = broadcast::channel(4096);
        let (listening_tx, listening) = tokio::sync::oneshot::channel();
        let listener = tokio::spawn(listen(config, tls, changes.clone(), listening_tx));
        // Changes made by others after this returns must reach this node: wait for LISTEN.
        if tokio::time::timeout(Duration::from_secs(10), listening)
            .await
            .is_err()
        {
            tracing::warn!("not yet listening for database notifications; retrying");
        }
        let (woken, rx) = tokio::sync::mpsc::channel(WAKE_QUEUE);
        let notifier = tokio::spawn(notifier(pool.clone(), rx));
        Ok(PgStore {
            pool,
            lazy,
            woken,
            notifier,
            node: node.to_owned(),
            changes,
            listener,
        })
    }

    /// One round trip, within a deadline: what a readiness check asks.
    async fn ping(&self) -> Result<()> {
        let answered = tokio::time::timeout(Duration::from_secs(2), async {
            self.client().await?.simple_query("SELECT 1").await?;
            Ok::<_, StoreError>(())
        })
        .await;
        answered.unwrap_or_else(|_| {
            Err(StoreError::Unavailable(
                "postgres: no answer within 2 s".into(),
            ))
        })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        Ok(self.pool.get().await?)
    }

    /// A connection whose commits may ride on a later WAL flush.
    async fn lazy_client(&self) -> Result<deadpool_postgres::Object> {
        Ok(self.lazy.get().await?)
    }
}

fn pool_of(config: tokio_postgres::Config, size: usize, tls: &tls::Connector) -> Result<Pool> {
    let manager = Manager::from_config(
        config,
        tls.clone(),
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(Duration::from_secs(30)))
        .create_timeout(Some(Duration::from_secs(10)))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()
        .map_err(|e| StoreError::Engine(format!("postgres pool: {e}")))
}

/// Applies the migrations the database lacks, one transaction each, under an advisory lock.
async fn migrate(pool: &Pool) -> Result<()> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    // Any fixed number: every node takes the same lock.
    tx.execute("SELECT pg_advisory_xact_lock(7021963)", &[])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )
    .await?;
    let current: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .get(0);
    let known = schema::MIGRATIONS.len() as i32;
    if current > known {
        return Err(StoreError::Engine(format!(
            "the database is at schema version {current}, newer than this hookshape knows \
             ({known}): upgrade hookshape"
        )));
    }
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i32 + 1;
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .await?;
        tracing::info!(version, "applied a database migration");
    }
    tx.commit().await?;
    Ok(())
}

/// The first node records its main key's id; every later one must have the same key, or it
/// would seal secrets the others cannot open.
async fn check_key(pool: &Pool, key_id: &str) -> Result<()> {
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO meta (name, value) VALUES ('main_key_id', $1) ON CONFLICT DO NOTHING",
            &[&key_id],
        )
        .await?;
    let stored: String = client
        .query_one("SELECT value FROM meta WHERE name = 'main_key_id'", &[])
        .await?
        .get(0);
    if stored != key_id {
        return Err(StoreError::Key(format!(
            "the database's secrets are sealed with main key {stored}, this node has {key_id}: \
             give every node the same HOOKSHAPE_MAIN_KEY"
        )));
    }
    Ok(())
}

/// Refuses to start a node whose connection budget does not fit beside the other nodes'
/// (each names its budget in its `application_name`) and the database's other clients: past
/// `max_connections`, PostgreSQL refuses connections at random, under load.
async fn check_budget(pool: &Pool, node: &str, connections: usize) -> Result<()> {
    let client = pool.get().await?;
    let row = client
        .query_one(
            "SELECT current_setting('max_connections')::int
                - current_setting('superuser_reserved_connections')::int
                - COALESCE(current_setting('reserved_connections', true)::int, 0),
             (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'
                AND NOT (datname = current_database() AND application_name LIKE $1 || ' %')),
             ARRAY(SELECT DISTINCT application_name FROM pg_stat_activity
                WHERE datname = current_database() AND application_name LIKE $1 || ' %'
                AND application_name NOT LIKE $2 || ' %')",
            &[&APP, &format!("{APP} {node}")],
        )
        .await?;
    let allowed = i64::from(row.get::<_, i32>(0));
    let others: i64 = row.get(1);
    let nodes: Vec<String> = row.get(2);
    let theirs: i64 = nodes
        .iter()
        .filter_map(|n| n.rsplit(' ').next()?.parse::<i64>().ok())
        .sum();
    let mine = i64::try_from(connections).unwrap_or(i64::MAX);
    if others + theirs + mine > allowed {
        return Err(StoreError::Engine(format!(
            "the database allows {allowed} connections (max_connections less the reserved); \
             {others} are open by other clients and {} other hookshape node(s) may open \
             {theirs}, so this node's {mine} do not fit: lower `connections=` in the \
             database URL of every node, or raise max_connections",
            nodes.len()
        )));
    }
    tracing::info!(
        connections = mine,
        other_nodes = nodes.len(),
        allowed,
        "database connection budget"
    );
    Ok(())
}

/// Listens on the channel for as long as the store lives, connecting again when the
/// connection drops (and then telling everyone to resync).
async fn listen(
    config: tokio_postgres::Config,
    tls: tls::Connector,
    changes: broadcast::Sender<Change>,
    listening: tokio::sync::oneshot::Sender<()>,
) {
    let mut first = true;
    let mut tell_ready = Some(listening);
    loop {
        match config.connect(tls.clone()).await {
            Ok((client, mut connection)) => {
                let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
                let listening = async {
                    if client
                        .batch_execute(&format!("LISTEN {CHANNEL}"))
                        .await
                        .is_ok()
                    {
                        let _ = ready_tx.send(());
                    }
                    // Keep the client alive while the connection is read.
                    std::future::pending::<()>().await;
                };
                let reading = async {
                    loop {
                        match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                            Some(Ok(AsyncMessage::Notification(n))) => {
                                if let Some(change) = parse(n.payload()) {
                                    let _ = changes.send(change);
                                }
                            }
                            Some(Ok(_)) => {}
                            Some(Err(e)) => {
                                tracing::warn!(error = %e, "lost the database notification channel");
                                return;
                            }
                            None => return,
                        }
                    }
                };
                let resync = async {
                    if ready_rx.await.is_ok() {
                        if let Some(tell) = tell_ready.take() {
                            let _ = tell.send(());
                        }
                        if !first {
                            let _ = changes.send(Change::Resync);
                        }
                    }
                    std::future::pending::<()>().await;
                };
                tokio::select! {
                    () = listening => {}
                    () = reading => {}
                    () = resync => {}
                }
                first = false;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for database notifications");
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Tells other nodes which subscriptions have new jobs, after the publishes committed and
/// many at a time. Not inside the publish: PostgreSQL serializes the commits of transactions
/// that notify (a global lock held through the WAL flush), which would put every publish in
/// one line. A lost notification costs latency, not a job: nodes sweep for due jobs anyway.
async fn notifier(pool: Pool, mut woken: tokio::sync::mpsc::Receiver<String>) {
    while let Some(first) = woken.recv().await {
        let mut subs = std::collections::BTreeSet::from([first]);
        while let Ok(more) = woken.try_recv() {
            subs.insert(more);
        }
        let subs: Vec<String> = subs.into_iter().collect();
        let sent = async {
            let client = pool.get().await?;
            client
                .execute(
                    "SELECT pg_notify($1, 'j:' || s) FROM UNNEST($2::text[]) s",
                    &[&CHANNEL, &subs],
                )
                .await?;
            Ok::<_, StoreError>(())
        };
        if let Err(e) = sent.await {
            tracing::warn!(error = %e, "cannot tell other nodes of new jobs");
        }
    }
}

fn parse(payload: &str) -> Option<Change> {
    let (kind, id) = payload.split_once(':')?;
    match kind {
        "s" => Some(Change::Subscription(id.to_owned())),
        "j" => Some(Change::Jobs(id.to_owned())),
        _ => None,
    }
}

/// The store's numbers as the columns hold them (PostgreSQL has no unsigned types).
fn ms(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn unms(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}
