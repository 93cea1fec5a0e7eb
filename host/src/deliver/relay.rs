//! Deliveries to a `hookshape listen` session, for subscriptions whose URL is
//! `listen:<session>`. Such a request goes out on no network: it waits here until the session
//! takes it (a long poll over the API), and its answer is what the session's local app said.
//! So a developer's laptop receives real, signed deliveries from a server that cannot reach
//! it. Sessions are per workspace and live in this node's memory: with several nodes, a
//! delivery claimed by a node the session does not poll fails as "not connected" and is
//! retried like any other.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, oneshot};

use super::{Request, Response, SendError};

/// The URL scheme of relayed subscriptions.
pub const SCHEME: &str = "listen:";
/// A session that has not polled for this long is gone: its deliveries fail at once.
const PRESENCE: Duration = Duration::from_secs(45);
/// Requests handed out by one poll.
const BATCH: usize = 20;
/// Sessions one node keeps (each is a few hundred bytes while idle).
const MAX_SESSIONS: usize = 10_000;

/// The session id of a `listen:` URL, when it is one and well-formed.
pub fn session_of(url: &str) -> Option<&str> {
    let id = url.strip_prefix(SCHEME)?;
    let ok = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(id)
}

/// A request handed to a session.
#[derive(Debug, Clone)]
pub struct Relayed {
    pub id: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the session's local app did with a request.
#[derive(Debug, Clone)]
pub enum Answer {
    Response {
        status: u16,
        body: String,
        elapsed: Duration,
    },
    /// It could not be reached (in words: "connection refused by http://localhost:3000").
    Failed(String),
}

struct Waiting {
    request: Relayed,
    answer: oneshot::Sender<Answer>,
}

struct Session {
    queue: VecDeque<Waiting>,
    /// Taken by the session, not answered yet.
    taken: HashMap<String, oneshot::Sender<Answer>>,
    notify: Arc<Notify>,
    seen: Instant,
}

impl Session {
    fn new() -> Self {
        Session {
            queue: VecDeque::new(),
            taken: HashMap::new(),
            notify: Arc::new(Notify::new()),
            seen: Instant::now(),
        }
    }
}

/// The sessions of this node, by (workspace, session id).
#[derive(Default)]
pub struct Relays {
    sessions: Mutex<HashMap<(String, String), Session>>,
}

impl Relays {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Session>> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Hands `request` to the session and waits up to `timeout` for its answer.
    pub async fn send(
        &self,
        workspace: &str,
        session: &str,
        request: &Request,
        timeout: Duration,
    ) -> Result<Response, SendError> {
        let started = Instant::now();
        let id = crate::model::new_ulid();
        let (tx, rx) = oneshot::channel();
        {
            let mut sessions = self.lock();
            let live = sessions
                .get_mut(&(workspace.to_owned(), session.to_owned()))
                .filter(|s| s.seen.elapsed() < PRESENCE);
            let Some(s) = live else {
                return Err(SendError::Connect(format!(
                    "no `hookshape listen` is connected to {SCHEME}{session}"
                )));
            };
            s.queue.push_back(Waiting {
                request: Relayed {
                    id: id.clone(),
                    headers: request.headers.clone(),
                    body: request.body.clone(),
                },
                answer: tx,
            });
            s.notify.notify_one();
        }
        let answer = tokio::time::timeout(timeout, rx).await;
        match answer {
            Ok(Ok(Answer::Response { status, body, .. })) => Ok(Response {
                status,
                headers: Vec::new(),
                body,
                truncated: false,
                retry_after: None,
                elapsed: started.elapsed(),
            }),
            Ok(Ok(Answer::Failed(why))) => Err(SendError::Connect(why)),
            Ok(Err(_)) => Err(SendError::Connect(format!(
                "the `hookshape listen` session {session} ended before answering"
            ))),
            Err(_) => {
                self.forget(workspace, session, &id);
                Err(SendError::Timeout(timeout))
            }
        }
    }

    /// Drops a request that timed out, wherever it is.
    fn forget(&self, workspace: &str, session: &str, id: &str) {
        if let Some(s) = self
            .lock()
            .get_mut(&(workspace.to_owned(), session.to_owned()))
        {
            s.queue.retain(|w| w.request.id != id);
            s.taken.remove(id);
        }
    }

    /// The session's waiting requests, waiting up to `wait` for one when there are none. Each
    /// call says the session is alive. `None`: this node holds too many sessions.
    pub async fn take(
        &self,
        workspace: &str,
        session: &str,
        wait: Duration,
    ) -> Option<Vec<Relayed>> {
        let key = (workspace.to_owned(), session.to_owned());
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notify = {
                let mut sessions = self.lock();
                if !sessions.contains_key(&key) {
                    if sessions.len() >= MAX_SESSIONS {
                        sessions.retain(|_, s| s.seen.elapsed() < PRESENCE || !s.taken.is_empty());
                    }
                    if sessions.len() >= MAX_SESSIONS {
                        return None;
                    }
                }
                let s = sessions.entry(key.clone()).or_insert_with(Session::new);
                s.seen = Instant::now();
                if !s.queue.is_empty() {
                    let n = s.queue.len().min(BATCH);
                    let mut out = Vec::with_capacity(n);
                    for w in s.queue.drain(..n) {
                        s.taken.insert(w.request.id.clone(), w.answer);
                        out.push(w.request);
                    }
                    return Some(out);
                }
                s.notify.clone()
            };
            if tokio::time::timeout_at(deadline, notify.notified())
                .await
                .is_err()
            {
                return Some(Vec::new());
            }
        }
    }

    /// Delivers the session's answer to a request it took; false when no such request waits
    /// (answered already, or timed out).
    pub fn answer(&self, workspace: &str, session: &str, request: &str, answer: Answer) -> bool {
        let sender = self
            .lock()
            .get_mut(&(workspace.to_owned(), session.to_owned()))
            .and_then(|s| {
                s.seen = Instant::now();
                s.taken.remove(request)
            });
        sender.is_some_and(|tx| tx.send(answer).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request {
            url: "listen:s1".into(),
            headers: vec![("webhook-id".into(), "evt_1".into())],
            body: b"{}".to_vec(),
        }
    }

    #[tokio::test]
    async fn a_request_reaches_the_polling_session_of_its_workspace_only() {
        let relays = Arc::new(Relays::default());
        let none = relays
            .send("ws", "s1", &request(), Duration::from_secs(1))
            .await;
        assert!(matches!(none, Err(SendError::Connect(_))), "{none:?}");

        assert!(
            relays
                .take("ws", "s1", Duration::ZERO)
                .await
                .expect("room")
                .is_empty()
        );
        let other = relays.clone();
        let poller = tokio::spawn(async move {
            assert!(
                other
                    .take("other", "s1", Duration::from_millis(50))
                    .await
                    .expect("room")
                    .is_empty(),
                "another workspace's session of the same id sees nothing"
            );
            let got = other
                .take("ws", "s1", Duration::from_secs(5))
                .await
                .expect("room");
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].headers[0].1, "evt_1");
            let answered = Answer::Response {
                status: 204,
                body: String::new(),
                elapsed: Duration::from_millis(1),
            };
            assert!(
                !other.answer("other", "s1", &got[0].id, answered.clone()),
                "another workspace cannot answer it"
            );
            assert!(other.answer("ws", "s1", &got[0].id, answered.clone()));
            assert!(
                !other.answer("ws", "s1", &got[0].id, answered),
                "answered once"
            );
        });
        let sent = relays
            .send("ws", "s1", &request(), Duration::from_secs(5))
            .await
            .expect("answered");
        assert_eq!(sent.status, 204);
        poller.await.expect("poller");

        let timed_out = relays
            .send("ws", "s1", &request(), Duration::from_millis(20))
            .await;
        assert!(
            matches!(timed_out, Err(SendError::Timeout(_))),
            "{timed_out:?}"
        );
        assert!(
            relays
                .take("ws", "s1", Duration::ZERO)
                .await
                .expect("room")
                .is_empty(),
            "a request that timed out is not handed out later"
        );
    }

    #[test]
    fn only_well_formed_sessions_are_listen_urls() {
        assert_eq!(session_of("listen:01jabc_x-1"), Some("01jabc_x-1"));
        assert_eq!(session_of("listen:"), None);
        assert_eq!(session_of("listen:a/b"), None);
        assert_eq!(session_of("https://x"), None);
    }
}
