//! The client that carries the server's own telemetry to its collector. The collector's
//! address is the operator's, not a customer's, so it is not behind the endpoints' SSRF guard;
//! no proxy from the environment and no redirects either.

use std::time::Duration;

/// Posts bodies to one operator-given place.
pub struct Poster {
    client: reqwest::Client,
}

impl Poster {
    pub fn new(timeout: Duration) -> Self {
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .build()
            .unwrap_or_default();
        Poster { client }
    }

    /// POSTs `body` with `headers`; the answer's status and body (up to 64 KiB).
    pub async fn post(
        &self,
        url: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Result<(u16, Vec<u8>), String> {
        let mut request = self.client.post(url).body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let mut answer = response.bytes().await.map_err(|e| e.to_string())?.to_vec();
        answer.truncate(64 * 1024);
        Ok((status, answer))
    }
}
