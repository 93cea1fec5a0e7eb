//! The management commands' HTTP client: a thin caller of the `/v1` API with the token from
//! `HOOKSHAPE_TOKEN`. API errors come back as one line, `code: detail`.

use serde_json::Value;

/// Where the API is and who calls it.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// The hookshape API; the token is read from HOOKSHAPE_TOKEN (never from the command
    /// line, where other users of the machine could see it).
    #[arg(
        long,
        env = "HOOKSHAPE_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    url: String,
    /// Print the API's JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

/// A request body.
pub enum Payload<'a> {
    None,
    Json(&'a Value),
    Wasm(Vec<u8>),
}

impl Target {
    /// Sends a request and returns the JSON answer (`Null` for an empty one), or the API's
    /// error as one line.
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        self.send(method, path, body.map_or(Payload::None, Payload::Json))
    }

    /// [`Target::call`] with any body.
    pub fn send(&self, method: &str, path: &str, body: Payload<'_>) -> Result<Value, String> {
        let token = std::env::var("HOOKSHAPE_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .ok_or("set HOOKSHAPE_TOKEN to an API token")?;
        let base = self.url.trim_end_matches('/');
        if !super::is_http_url(base) {
            return Err(format!(
                "--url {base}: give the API's address with its scheme, e.g. http://{}",
                base.split("://").last().unwrap_or(base)
            ));
        }
        let url = format!("{base}{path}");
        let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
        let runtime = super::runtime(false)?;
        runtime.block_on(async {
            let client = reqwest::Client::builder()
                .no_proxy()
                .build()
                .map_err(|e| e.to_string())?;
            let mut request = client.request(method, &url).bearer_auth(&token);
            match body {
                Payload::None => {}
                Payload::Json(v) => request = request.json(v),
                Payload::Wasm(bytes) => {
                    request = request
                        .header(reqwest::header::CONTENT_TYPE, "application/wasm")
                        .body(bytes);
                }
            }
            let response = request.send().await.map_err(|e| {
                format!(
                    "cannot reach {base}: {}",
                    crate::deliver::failure_in_words(&e)
                )
            })?;
            let status = response.status();
            let text = response.text().await.map_err(|e| e.to_string())?;
            let value: Value = if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            };
            if status.is_success() {
                Ok(value)
            } else {
                Err(match (value["code"].as_str(), value["detail"].as_str()) {
                    (Some(code), Some(detail)) => format!("{code}: {detail}"),
                    _ => format!("{status}: {value}"),
                })
            }
        })
    }

    /// Prints `value` as JSON, or `rows` of `columns` as a table.
    pub fn print(&self, value: &Value, columns: &[&str]) {
        if self.json {
            println!("{value}");
            return;
        }
        let rows: Vec<&Value> = match value["data"].as_array() {
            Some(list) => list.iter().collect(),
            None => vec![value],
        };
        // A column may name a nested field: `plugin.id`.
        let cell = |row: &Value, column: &str| {
            let pointer = format!("/{}", column.replace('.', "/"));
            match row.pointer(&pointer).unwrap_or(&Value::Null) {
                Value::Null => "-".to_owned(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }
        };
        let widths: Vec<usize> = columns
            .iter()
            .map(|c| {
                rows.iter()
                    .map(|r| cell(r, c).chars().count())
                    .chain([c.len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<String>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            println!("{}", padded.join("  ").trim_end());
        };
        line(columns.iter().map(|c| header(c)).collect());
        for row in rows {
            line(columns.iter().map(|c| cell(row, c)).collect());
        }
    }
}

/// A column's heading: its field's words in capitals (`eventType` → `EVENT TYPE`; a nested
/// field is headed by its parent's name: `plugin.id` → `PLUGIN`).
fn header(column: &str) -> String {
    let field = column.split('.').next().unwrap_or(column);
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn headings_are_words_in_capitals() {
        assert_eq!(super::header("eventType"), "EVENT TYPE");
        assert_eq!(super::header("plugin.id"), "PLUGIN");
        assert_eq!(super::header("id"), "ID");
    }
}
