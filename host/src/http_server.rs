//! The listener: accepts connections up to a bound and serves each over HTTP/1.1 with a
//! header-read timeout (which also closes idle keep-alive connections), so that slowly sent
//! headers or idle sockets cannot use up file descriptors. The only module that names hyper.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

/// What the listener allows each client.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Time a client has to send a request's headers, from the moment the connection is
    /// open or its previous response was sent: a keep-alive connection idle that long is
    /// closed too.
    pub header_read_timeout: Duration,
    /// Connections open at once; further clients wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1_000,
        }
    }
}

/// Serves `app` on `listener` until `stop` turns true, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: crate::api::App,
    limits: ConnectionLimits,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of descriptors and the like: pass, and let connections close.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = async {
                // The guard `wait_for` returns is not Send: dropped right here.
                let _ = stop.wait_for(|s| *s).await;
            } => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(tower::ServiceExt::map_request(
            app.clone(),
            |req: hyper::Request<hyper::body::Incoming>| req.map(crate::api::Body::new),
        ));
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Errors here are a client's (reset, timed out): nothing to report.
            let _ = conn.await;
            drop(slot);
        });
    }
    graceful.shutdown().await;
    Ok(())
}
