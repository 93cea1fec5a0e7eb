//! Durable state, behind one interface ([`Engine`]) with two engines: embedded (the default,
//! nothing else to run; [`embedded`]) and PostgreSQL (several nodes on one database;
//! [`postgres`]). [`Store`] wraps the engine chosen at start and adds what is the same for
//! every engine: secrets are sealed before an engine sees them, conditional updates check
//! etags, and the generated admin token is made here.

mod embedded;
pub mod engine;
mod postgres;

use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{
    CatalogEntry, DEFAULT_WORKSPACE, Delivery, Role, Subscription, TokenRecord, Workspace, time,
};
use crate::seal::Sealer;

pub use engine::{Change, DeliveryRange, DueJobs, Engine};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage: {0}")]
    Engine(String),
    /// The store cannot be reached for now (a database outage, no free connection): worth
    /// retrying, and nothing was written.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("stored record {key} is unreadable: {detail}")]
    Corrupt { key: String, detail: String },
    #[error("storage flush failed: {0}")]
    Flush(String),
    #[error("{0}")]
    Key(String),
    #[error("another hookshape is using {0}")]
    Locked(String),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One subscription's share of a published event.
#[derive(Debug, Clone)]
pub struct Fanout {
    /// The delivery to create when the event does not join an open batch.
    pub delivery: Delivery,
    /// For a batching subscription: how many events its batches hold.
    pub max_events: Option<u32>,
}

/// What publishing did.
#[derive(Debug)]
pub enum Published {
    /// The event and its jobs are stored and on disk: the deliveries that now hold it.
    New(Vec<Delivery>),
    /// An event with this id existed; nothing was written.
    Existing(Box<crate::model::Event>),
}

/// What a retention pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub events: u64,
    pub deliveries: u64,
    pub attempts: u64,
}

/// Result of a conditional update.
#[derive(Debug)]
pub enum Updated<T> {
    Done(T),
    NotFound,
    /// The stored etag differs from the one expected.
    Stale,
}

/// Whether `dir` holds an embedded store (of this release or an earlier one).
pub fn holds_embedded_data(dir: &Path) -> bool {
    embedded::EmbeddedStore::exists_in(dir)
}

/// Where state lives: `embedded` (in the data directory; `sled`, its name in earlier
/// releases, is taken too) or a `postgres://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Embedded,
    Postgres(String),
}

impl std::str::FromStr for Location {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        if text == "embedded" || text == "sled" {
            Ok(Location::Embedded)
        } else if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Location::Postgres(text.to_owned()))
        } else {
            Err("expected `embedded` or a postgres:// URL".into())
        }
    }
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Our records are plain data (strings, numbers, maps with string keys): always encodable.
    serde_json::to_vec(value).unwrap_or_default()
}

fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        detail: e.to_string(),
    })
}

/// The store: an engine, with secrets sealed on their way in. Cheap to clone; derefs to the
/// [`Engine`] for everything that needs no sealing.
#[derive(Clone)]
pub struct Store {
    engine: Arc<dyn Engine>,
    sealer: Arc<Sealer>,
}

impl Deref for Store {
    type Target = dyn Engine;

    fn deref(&self) -> &Self::Target {
        self.engine.as_ref()
    }
}

impl Store {
    /// Opens (or creates) the embedded store in `dir`, with the main key from `dir/main.key`.
    pub async fn open(dir: &Path) -> Result<Self> {
        Self::open_with_key(dir, None).await
    }

    /// Opens (or creates) the embedded store in `dir`; `main_key` (base64) overrides
    /// `dir/main.key`.
    pub async fn open_with_key(dir: &Path, main_key: Option<&str>) -> Result<Self> {
        Self::open_at(&Location::Embedded, dir, main_key).await
    }

    /// Opens the store at `location`; the main key comes from `main_key` or `dir/main.key`.
    /// A key rotation left half-way is finished here.
    pub async fn open_at(location: &Location, dir: &Path, main_key: Option<&str>) -> Result<Self> {
        let keys = crate::seal::load(dir, main_key).map_err(|e| StoreError::Key(e.to_string()))?;
        let store = Self::open_sealed_at(location, dir, keys.sealer).await?;
        if keys.rotating {
            crate::seal::finish_rotation(dir).map_err(|e| StoreError::Key(e.to_string()))?;
        }
        Ok(store)
    }

    /// Opens the embedded store in `dir`, sealing secrets with `sealer`.
    pub async fn open_sealed(dir: &Path, sealer: Sealer) -> Result<Self> {
        Self::open_sealed_at(&Location::Embedded, dir, sealer).await
    }

    /// Opens the store at `location`, sealing secrets with `sealer`. Secrets not sealed with
    /// it (clear ones of older releases, or ones of a key being rotated out) are sealed again.
    pub async fn open_sealed_at(location: &Location, dir: &Path, sealer: Sealer) -> Result<Self> {
        let engine: Arc<dyn Engine> = match location {
            Location::Embedded => {
                // Opening may wait for a lock this process is letting go of: off the runtime.
                let dir = dir.to_path_buf();
                let opened =
                    tokio::task::spawn_blocking(move || embedded::EmbeddedStore::open(&dir))
                        .await
                        .map_err(|e| StoreError::Engine(format!("open: {e}")))??;
                Arc::new(opened)
            }
            Location::Postgres(url) => {
                let node = node_id(dir)?;
                Arc::new(postgres::PgStore::connect(url, sealer.key_id(), &node).await?)
            }
        };
        let store = Store {
            engine,
            sealer: Arc::new(sealer),
        };
        // Every store has the `default` workspace (several nodes may race to make it).
        if store.engine.workspace(DEFAULT_WORKSPACE).await?.is_none() {
            store
                .engine
                .create_workspace(&Workspace::default_one(time::now_ms()))
                .await?;
        }
        store.reseal().await?;
        Ok(store)
    }

    /// The engine, to hand to code that needs only the interface.
    pub fn engine(&self) -> &Arc<dyn Engine> {
        &self.engine
    }

    // --- subscriptions: sealed on the way in, opened on the way out ---

    fn seal(&self, sub: &Subscription) -> Subscription {
        let mut sealed = sub.clone();
        for secret in &mut sealed.secrets {
            secret.value = self.sealer.seal(&secret.value);
        }
        for value in sealed.headers.values_mut() {
            *value = self.sealer.seal(value);
        }
        sealed
    }

    fn open_sealed_sub(&self, mut sub: Subscription) -> Result<Subscription> {
        let key = format!("subscription {}", sub.id);
        let corrupt = |e: crate::seal::SealError| StoreError::Corrupt {
            key: key.clone(),
            detail: e.to_string(),
        };
        for i in 0..sub.secrets.len() {
            let clear = self.sealer.open(&sub.secrets[i].value).map_err(corrupt)?;
            sub.secrets[i].value = clear;
        }
        let names: Vec<String> = sub.headers.keys().cloned().collect();
        for name in names {
            if let Some(value) = sub.headers.get(&name) {
                let clear = self.sealer.open(value).map_err(corrupt)?;
                sub.headers.insert(name, clear);
            }
        }
        Ok(sub)
    }

    /// Seals again, with the current main key, every secret that is not sealed with it.
    pub async fn reseal(&self) -> Result<usize> {
        let mut changed = 0;
        for stored in self.engine.sealed_subscriptions().await? {
            let mut values = stored
                .secrets
                .iter()
                .map(|s| &s.value)
                .chain(stored.headers.values());
            if values.all(|v| self.sealer.is_current(v)) {
                continue;
            }
            let etag = stored.etag.clone();
            let clear = self.open_sealed_sub(stored)?;
            self.engine
                .swap_sealed_subscription(&self.seal(&clear), &etag)
                .await?;
            changed += 1;
        }
        Ok(changed)
    }

    /// The id of the main key secrets are sealed with.
    pub fn key_id(&self) -> &str {
        self.sealer.key_id()
    }

    pub async fn put_subscription(&self, sub: &Subscription) -> Result<()> {
        self.engine.put_sealed_subscription(&self.seal(sub)).await
    }

    /// A subscription of workspace `ws`: one of another workspace is not found.
    pub async fn subscription(&self, ws: &str, id: &str) -> Result<Option<Subscription>> {
        match self.engine.sealed_subscription(id).await? {
            Some(sub) if sub.workspace == ws => self.open_sealed_sub(sub).map(Some),
            _ => Ok(None),
        }
    }

    /// A subscription, whatever its workspace (for the engine's own bookkeeping).
    pub async fn subscription_by_id(&self, id: &str) -> Result<Option<Subscription>> {
        match self.engine.sealed_subscription(id).await? {
            Some(sub) => self.open_sealed_sub(sub).map(Some),
            None => Ok(None),
        }
    }

    /// A workspace's subscriptions, oldest first.
    pub async fn subscriptions_in(&self, ws: &str) -> Result<Vec<Subscription>> {
        let mut out = Vec::new();
        for id in self.engine.subscription_ids_in(ws).await? {
            out.extend(self.subscription(ws, &id).await?);
        }
        Ok(out)
    }

    /// All subscriptions, oldest first (ids are ULIDs).
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>> {
        self.engine
            .sealed_subscriptions()
            .await?
            .into_iter()
            .map(|s| self.open_sealed_sub(s))
            .collect()
    }

    /// Changes a subscription with `change` unless its etag differs from `if_match`. The
    /// change may refuse with an error of its own, which is passed back.
    pub async fn update_subscription<E>(
        &self,
        ws: &str,
        id: &str,
        if_match: Option<&str>,
        mut change: impl FnMut(&mut Subscription) -> std::result::Result<(), E>,
    ) -> Result<std::result::Result<Updated<Subscription>, E>> {
        loop {
            let Some(mut sub) = self.subscription(ws, id).await? else {
                return Ok(Ok(Updated::NotFound));
            };
            if if_match.is_some_and(|tag| tag != sub.etag) {
                return Ok(Ok(Updated::Stale));
            }
            if let Err(e) = change(&mut sub) {
                return Ok(Err(e));
            }
            let read = sub.etag.clone();
            sub.etag = sub.new_etag();
            if self
                .engine
                .swap_sealed_subscription(&self.seal(&sub), &read)
                .await?
            {
                return Ok(Ok(Updated::Done(sub)));
            }
            // Someone else changed it between our read and write: read again.
        }
    }

    // --- catalog ---

    /// The entry that applies in `ws`: its own, else the global one.
    pub async fn effective_catalog_entry(
        &self,
        ws: &str,
        name: &str,
    ) -> Result<Option<CatalogEntry>> {
        match self.engine.catalog_entry(Some(ws), name).await? {
            Some(own) => Ok(Some(own)),
            None => self.engine.catalog_entry(None, name).await,
        }
    }

    /// The catalog as `ws` sees it: global entries, overridden by its own of the same name.
    pub async fn catalog(&self, ws: &str) -> Result<Vec<CatalogEntry>> {
        let mut by_name = std::collections::BTreeMap::new();
        for entry in self.engine.catalog_of(None).await? {
            by_name.insert(entry.name.clone(), entry);
        }
        for entry in self.engine.catalog_of(Some(ws)).await? {
            by_name.insert(entry.name.clone(), entry);
        }
        Ok(by_name.into_values().collect())
    }

    // --- the generated admin token ---

    /// Stores an admin token made by `make` unless the generated one exists; the token made.
    pub async fn bootstrap_token(&self, make: impl FnOnce() -> String) -> Result<Option<String>> {
        let exists = self
            .engine
            .tokens()
            .await?
            .iter()
            .any(|t| t.id == BOOTSTRAP_ID && t.role == Role::Admin);
        if exists {
            return Ok(None);
        }
        let token = make();
        self.engine
            .put_token(&bootstrap_record(&token, time::now_ms()))
            .await?;
        Ok(Some(token))
    }

    /// Replaces the generated admin token (the old one stops working).
    pub async fn reset_bootstrap_token(&self, make: impl FnOnce() -> String) -> Result<String> {
        self.engine.delete_token(BOOTSTRAP_ID).await?;
        let token = make();
        self.engine
            .put_token(&bootstrap_record(&token, time::now_ms()))
            .await?;
        Ok(token)
    }
}

/// This node's name in the leases it takes, kept in its data directory so that a restarted
/// node takes back its own leases at once.
fn node_id(dir: &Path) -> Result<String> {
    let path = dir.join("node.id");
    match std::fs::read_to_string(&path) {
        Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_owned()),
        _ => {
            let id = format!("node_{}", ulid::Ulid::new());
            std::fs::write(&path, &id)?;
            Ok(id)
        }
    }
}

const BOOTSTRAP_ID: &str = "tok_bootstrap";

/// The record of the generated admin token.
pub(crate) fn bootstrap_record(token: &str, now_ms: u64) -> TokenRecord {
    TokenRecord {
        id: BOOTSTRAP_ID.into(),
        name: "generated admin token".into(),
        role: Role::Admin,
        workspace: None,
        created_ms: now_ms,
        expires_ms: None,
        last_used_ms: None,
        hash: crate::sign::sha256_hex(token.as_bytes()),
        capabilities: None,
        session_id: None,
    }
}
