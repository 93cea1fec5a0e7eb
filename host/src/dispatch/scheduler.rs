//! The scheduler: due jobs claimed and attempted within the concurrency bounds, and the
//! retention sweep, until shutdown.

use super::*;

impl Dispatcher {
    /// Runs the engine until [`Dispatcher::shutdown`]: requeues jobs that earlier versions
    /// held as leases, then schedules due jobs and sweeps old events. On shutdown it
    /// stops taking jobs and waits (up to `grace`) for attempts in flight; unfinished ones are
    /// still queued and run again at the next start.
    pub async fn run(&self, grace: Duration) {
        let shared = &self.shared;
        match shared.store.requeue_leases(time::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "resumed jobs left in flight by the last run"),
            Err(e) => tracing::error!(error = %e, "cannot resume leased jobs"),
        }
        let mut stop = shared.stop.subscribe();
        let mut tasks = JoinSet::new();
        if let Some(changes) = shared.store.changes() {
            // What changed between loading at start and listening now is picked up here.
            self.resync().await;
            tasks.spawn(self.clone().follow(changes));
        }
        let mut last_purge = 0u64;
        let mut last_sweep = 0u64;
        loop {
            if *stop.borrow() {
                break;
            }
            let now = time::now_ms();
            if now.saturating_sub(last_purge) > self.purge_interval_ms() {
                last_purge = now;
                self.purge(now).await;
            }
            if now.saturating_sub(last_sweep) >= SWEEP_MS {
                last_sweep = now;
                self.sweep(now).await;
            }
            let next_due = self.schedule(now, &mut tasks).await;
            while tasks.try_join_next().is_some() {}
            let wait = next_due.map_or(Duration::from_millis(250), |t| {
                Duration::from_millis(t.saturating_sub(time::now_ms()).clamp(1, 250))
            });
            tokio::select! {
                () = shared.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
        let drained =
            tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!(
                left = tasks.len(),
                "attempts still in flight at shutdown; they resume at the next start"
            );
            tasks.abort_all();
        }
    }

    /// Claims and starts every due job that has a free slot; returns the earliest time a job
    /// not started may be due. Only subscriptions on the agenda are looked at: poked ones,
    /// ones whose timer fell due, and (when a slot is free overall) ones that found none.
    pub(super) async fn schedule(&self, now: u64, tasks: &mut JoinSet<()>) -> Option<u64> {
        let shared = &self.shared;
        let agenda = shared.registry.agenda();
        let (visit, mut earliest) = agenda.take_due(now, shared.global.available_permits());
        let mut seen = std::collections::HashSet::with_capacity(visit.len());
        for (id, timer) in visit {
            let Some(live) = shared.registry.get(&id) else {
                continue;
            };
            if timer != 0 {
                let _ =
                    live.timer_at
                        .compare_exchange(timer, 0, Ordering::AcqRel, Ordering::Acquire);
            }
            if !seen.insert(id) {
                continue;
            }
            // Looked at now: a poke from here on puts it back on the ready list.
            live.next_due_ms.store(u64::MAX, Ordering::Release);
            if live.sub.status != Status::Enabled {
                continue;
            }
            let own = live.permits.available_permits();
            let mut free = own
                .min(live.workspace_permits.available_permits())
                .min(live.host_permits.available_permits())
                .min(shared.global.available_permits());
            // An open circuit, a receiver's Retry-After or the subscription's pace hold jobs
            // back (queued, not failed); the agenda brings it back when they may go.
            let pace = live.sub.rate_limit.map(|r| circuit::Pace {
                per_second: f64::from(r.per_second),
                burst: f64::from(r.burst),
            });
            if free > 0 {
                let (allowed, look_again) = live.circuit.admit(now, free, pace);
                if let Some(t) = look_again {
                    agenda.at(t, &live.sub.id);
                    earliest = Some(earliest.map_or(t, |e| e.min(t)));
                }
                if allowed == 0 {
                    continue;
                }
                free = allowed;
            }
            if free == 0 {
                // Full: its own finishing attempt pokes it; if its workspace's, its host's or
                // the overall limit is what is full, any finishing attempt brings it back.
                if own > 0 {
                    agenda.starved(&live.sub.id);
                }
                continue;
            }
            // Claimed (being attempted), or behind an older delivery of its key.
            let claimed = |id: &str| {
                shared.claims.contains(id) || live.ordered.as_ref().is_some_and(|o| !o.may_go(id))
            };
            let lease_ms = duration_ms(shared.config.lease);
            let found = shared
                .store
                .due(&live.sub.id, now, free, lease_ms, &claimed)
                .await;
            let (due, later) = match found {
                Ok(found) => found,
                Err(e) => {
                    tracing::error!(subscription = %live.sub.id, error = %e, "cannot read due jobs");
                    agenda.at(now + 1_000, &live.sub.id);
                    continue;
                }
            };
            let full = due.len() >= free;
            let mut started = 0;
            let mut not_started = Vec::new();
            let mut jobs = due.into_iter();
            for (due_ms, delivery_id) in jobs.by_ref() {
                let (Ok(sub_permit), Ok(ws_permit), Ok(host_permit), Ok(global_permit)) = (
                    live.permits.clone().try_acquire_owned(),
                    live.workspace_permits.clone().try_acquire_owned(),
                    live.host_permits.clone().try_acquire_owned(),
                    shared.global.clone().try_acquire_owned(),
                ) else {
                    not_started.push(delivery_id);
                    break;
                };
                let Some(claim) = shared.claims.claim(&delivery_id) else {
                    continue;
                };
                let engine = self.clone();
                let live = live.clone();
                started += 1;
                tasks.spawn(async move {
                    engine.attempt_job(&live, due_ms, &delivery_id).await;
                    drop((claim, sub_permit, ws_permit, host_permit, global_permit));
                    live.poke();
                    engine.shared.wake.notify_one();
                });
            }
            not_started.extend(jobs.map(|(_, id)| id));
            if !not_started.is_empty()
                && let Err(e) = shared.store.release(&live.sub.id, &not_started).await
            {
                tracing::warn!(error = %e, "cannot give back claimed jobs; their lease runs out");
            }
            live.circuit.started(started, pace);
            if !full && let Some(t) = later {
                // One timer entry per time: a repeated visit does not add another.
                if live.timer_at.swap(t, Ordering::AcqRel) != t {
                    agenda.at(t, &live.sub.id);
                }
                earliest = Some(earliest.map_or(t, |e| e.min(t)));
            }
        }
        earliest
    }

    /// A delivery as it is once no more events can join it, with the stored events it sends
    /// (purged ones left out): for a batch, its subscription's open batch is closed first,
    /// then the delivery is read again.
    pub(super) async fn load_closed(
        &self,
        delivery_id: &str,
    ) -> Result<(Option<Delivery>, Vec<Event>), StoreError> {
        let store = &self.shared.store;
        let loaded = match store.delivery_with_events(delivery_id).await? {
            Some((d, _)) if d.batch.is_some() && d.status == DeliveryStatus::Pending => {
                store.close_batch(&d.subscription_id, delivery_id).await?;
                store.delivery_with_events(delivery_id).await?
            }
            other => other,
        };
        Ok(loaded.map_or((None, Vec::new()), |(d, events)| (Some(d), events)))
    }

    /// Attempts the job queued at `due_ms` for a claimed delivery.
    pub(super) async fn attempt_job(&self, live: &Live, due_ms: u64, delivery_id: &str) {
        let store = &self.shared.store;
        let loaded = self.load_closed(delivery_id).await;
        if let Ok((Some(d), _)) = &loaded {
            match store.event_committed(&d.event_key()).await {
                Ok(true) => {}
                Ok(false) => {
                    // Queued by a publish that crashed before its marker: never acknowledged.
                    tracing::warn!(
                        delivery = delivery_id,
                        "dropping a job of an unfinished publish"
                    );
                    if let Err(e) = store.forget_delivery(d).await {
                        tracing::error!(error = %e, "cannot drop a stale job");
                    }
                    if let Some(o) = &live.ordered {
                        o.finished(&d.id);
                    }
                    return;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot load a job");
                    return;
                }
            }
        }
        let (delivery, events) = match loaded {
            Ok((Some(d), events)) if d.status == DeliveryStatus::Pending && !events.is_empty() => {
                (d, events)
            }
            Ok((Some(mut d), _)) => {
                // Nothing left to send: finished meanwhile, or its events are gone.
                if d.status == DeliveryStatus::Pending {
                    d.status = DeliveryStatus::Failed;
                    d.next_attempt_ms = None;
                    d.last_error = Some("its events are no longer stored".into());
                }
                if let Err(e) = store.finish_attempt(None, &d, &[due_ms]).await {
                    tracing::error!(error = %e, "cannot drop a stale job");
                }
                if let Some(o) = &live.ordered {
                    o.finished(&d.id);
                }
                return;
            }
            Ok((None, _)) => {
                tracing::warn!(delivery = delivery_id, "queued job without its delivery");
                if let Some(o) = &live.ordered {
                    o.finished(delivery_id);
                }
                if let Err(e) = store.forget_job(&live.sub.id, due_ms, delivery_id).await {
                    tracing::error!(error = %e, "cannot drop a stale job");
                }
                return;
            }
            Err(e) => {
                // The job stays queued; a later pass tries again.
                tracing::error!(error = %e, "cannot load a job");
                return;
            }
        };
        // A full batch may have been moved to an earlier slot since the scheduler saw it.
        let mut queued: Vec<u64> = delivery.queued_at().into_iter().collect();
        if !queued.contains(&due_ms) {
            queued.push(due_ms);
        }
        let finished = attempt::run(
            &self.shared,
            live,
            &events,
            delivery,
            attempt::Kind::Scheduled,
        )
        .await;
        if let Err(e) = self.record(live, &finished, &queued).await {
            tracing::error!(error = %e, "cannot record an attempt; it will be repeated");
        }
    }

    /// How often retention sweeps: every minute, or a tenth of a shorter retention period.
    pub(super) fn purge_interval_ms(&self) -> u64 {
        (duration_ms(self.shared.config.retention) / 10).clamp(1_000, 60_000)
    }

    /// Removes what retention lets go, in batches until none is left: a sweep keeps up with
    /// any publish rate, so the data directory stays flat at a constant one.
    pub(super) async fn purge(&self, now: u64) {
        const BATCH: usize = 10_000;
        let cutoff = now.saturating_sub(duration_ms(self.shared.config.retention));
        let claimed = |id: &str| self.shared.claims.contains(id);
        let mut total = crate::store::Purged::default();
        loop {
            match self
                .shared
                .store
                .purge_before(cutoff, BATCH, &claimed)
                .await
            {
                Ok(p) => {
                    total.events += p.events;
                    total.deliveries += p.deliveries;
                    total.attempts += p.attempts;
                    if (p.events as usize) < BATCH || *self.shared.stop.borrow() {
                        break;
                    }
                    tokio::task::yield_now().await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "retention sweep failed");
                    break;
                }
            }
        }
        if total.events > 0 {
            tracing::info!(
                events = total.events,
                deliveries = total.deliveries,
                attempts = total.attempts,
                "purged old events"
            );
        }
        // An object not published for the retention period loses its snapshot too.
        match self.shared.store.purge_snapshots_before(cutoff).await {
            Ok(n) if n > 0 => tracing::info!(snapshots = n, "purged old snapshots"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "snapshot retention sweep failed"),
        }
    }
}
