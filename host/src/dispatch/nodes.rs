//! Several nodes on one database: what other nodes changed reaches this one's registry, and
//! due jobs no node was told of (another node's retries, a dead node's claims) are found.

use super::Dispatcher;
use crate::store::Change;

impl Dispatcher {
    /// Follows changes made through other nodes until shutdown: new jobs wake their
    /// subscription; a changed subscription is loaded again, a deleted one taken out.
    pub(super) async fn follow(self, mut changes: tokio::sync::broadcast::Receiver<Change>) {
        use tokio::sync::broadcast::error::RecvError;
        let mut stop = self.shared.stop.subscribe();
        loop {
            let change = tokio::select! {
                change = changes.recv() => change,
                _ = stop.changed() => return,
            };
            match change {
                Ok(Change::Jobs(id)) => {
                    if let Some(live) = self.shared.registry.get(&id) {
                        live.poke();
                        self.shared.wake.notify_one();
                    }
                }
                Ok(Change::Subscription(id)) => self.reload(&id).await,
                // Missed notifications: anything may have changed.
                Ok(Change::Resync) | Err(RecvError::Lagged(_)) => self.resync().await,
                Err(RecvError::Closed) => return,
            }
        }
    }

    /// Brings one subscription in line with the store (a no-op when it is unchanged).
    async fn reload(&self, id: &str) {
        match self.shared.store.subscription_by_id(id).await {
            Ok(Some(sub)) => self.load_if_changed(sub).await,
            Ok(None) => {
                self.shared.registry.remove(id);
            }
            Err(e) => {
                tracing::error!(subscription = id, error = %e, "cannot reload a subscription")
            }
        }
    }

    /// Loads a stored subscription unless the registry holds it as stored (same etag): a
    /// change this node made itself comes back as a notification too.
    async fn load_if_changed(&self, sub: crate::model::Subscription) {
        let same = self
            .shared
            .registry
            .get(&sub.id)
            .is_some_and(|live| live.sub.etag == sub.etag);
        if !same {
            self.load(sub).await;
        }
    }

    /// Brings every subscription in line with the store.
    pub(super) async fn resync(&self) {
        let stored = match self.shared.store.subscriptions().await {
            Ok(stored) => stored,
            Err(e) => {
                tracing::error!(error = %e, "cannot reload subscriptions");
                return;
            }
        };
        let ids: std::collections::HashSet<String> = stored.iter().map(|s| s.id.clone()).collect();
        for live in self.shared.registry.all() {
            if !ids.contains(&live.sub.id) {
                self.shared.registry.remove(&live.sub.id);
            }
        }
        for sub in stored {
            self.load_if_changed(sub).await;
        }
        self.shared.wake.notify_one();
    }

    /// Wakes subscriptions with due jobs this node does not know of: retries another node
    /// scheduled, and jobs whose claim ran out with a dead node.
    pub(super) async fn sweep(&self, now: u64) {
        match self.shared.store.ready_subscriptions(now).await {
            Ok(Some(ids)) => {
                for id in ids {
                    if let Some(live) = self.shared.registry.get(&id) {
                        live.poke();
                    }
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot look for due jobs"),
        }
    }
}
