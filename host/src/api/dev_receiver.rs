//! A local receiver for trying subscriptions (`hookshape listen`): answers every request with
//! one status and hands each to a callback. It lives here because this is the module that
//! names axum.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Serves `listener` until the process ends, answering `status` to every request.
pub async fn receive(
    listener: tokio::net::TcpListener,
    status: u16,
    on: Arc<dyn Fn(Received) + Send + Sync>,
) -> std::io::Result<()> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let on = on.clone();
            async move {
                on(Received {
                    method: method.to_string(),
                    path: uri.to_string(),
                    headers: headers
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.to_string(),
                                String::from_utf8_lossy(v.as_bytes()).into_owned(),
                            )
                        })
                        .collect(),
                    body: body.to_vec(),
                });
                status
            }
        },
    );
    axum::serve(listener, app).await
}
