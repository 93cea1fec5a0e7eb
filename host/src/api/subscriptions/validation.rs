//! What a subscription must be before it is stored: its URL, events, signing, retry,
//! headers and plugin (prepared once to check its config), and the catalog's warnings.

use super::*;

pub(super) fn scheme_from(io: Option<&SigningIo>) -> ApiResult<Scheme> {
    let Some(io) = io else {
        return Ok(Scheme::StandardWebhooks);
    };
    match (&io.scheme, &io.header) {
        (SchemeIo::StandardWebhooks, None) => Ok(Scheme::StandardWebhooks),
        (SchemeIo::StandardWebhooks, Some(_)) => Err(ApiError::invalid(
            "invalid_signing",
            "standard-webhooks uses fixed header names; remove `header`",
        )),
        (SchemeIo::BodySignature, None) => Ok(Scheme::BodySignature),
        (SchemeIo::BodySignature, Some(_)) => Err(ApiError::invalid(
            "invalid_signing",
            "body-signature signs inside the body; remove `header`",
        )),
        (scheme @ (SchemeIo::HexHmac | SchemeIo::TimestampedHmac), header) => {
            let hex = matches!(scheme, SchemeIo::HexHmac);
            let default = if hex {
                "X-Hookshape-Hmac"
            } else {
                "officernd-signature"
            };
            let header = header.clone().unwrap_or_else(|| default.into());
            let token = !header.is_empty()
                && header.len() <= 64
                && header
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            let lower = header.to_ascii_lowercase();
            let reserved = ["content-type", "content-length", "host", "user-agent"]
                .contains(&lower.as_str())
                || lower.starts_with("webhook-");
            if !token || reserved {
                return Err(ApiError::invalid(
                    "invalid_signing",
                    format!("`{header}` cannot be a signature header"),
                ));
            }
            Ok(if hex {
                Scheme::HexHmac { header }
            } else {
                Scheme::TimestampedHmac { header }
            })
        }
    }
}

pub(super) fn retry_from(retry: &crate::api::wire::RetryIo) -> ApiResult<model::RetrySchedule> {
    retry
        .parse()
        .map_err(|detail| ApiError::invalid("invalid_retry", detail))
}

pub(in crate::api) async fn plugin_from(
    state: &AppState,
    ws: &str,
    io: Option<&PluginRefIo>,
) -> ApiResult<Option<PluginRef>> {
    let Some(io) = io else { return Ok(None) };
    if !state.dispatcher.may_use_plugin(ws, &io.id).await? {
        let detail = if io.id.starts_with(crate::plugin::BUILTIN_PREFIX) {
            format!("no built-in transform `{}` on this server", io.id)
        } else {
            format!("no plugin `{}`; upload it with POST /v1/plugins", io.id)
        };
        return Err(ApiError::invalid("unknown_plugin", detail));
    }
    let config = io.config.clone().unwrap_or_else(|| serde_json::json!({}));
    let limits = io
        .limits
        .clone()
        .unwrap_or_default()
        .apply(state.plugin_limits);
    limits
        .check(state.dispatcher.runtime().ceilings())
        .map_err(|detail| ApiError::invalid("invalid_limits", detail))?;
    Ok(Some(PluginRef {
        id: io.id.clone(),
        config,
        limits,
    }))
}

/// Checks everything about a subscription before it is stored, its plugin's config included.
pub(super) async fn validate(state: &AppState, sub: &Subscription) -> ApiResult<()> {
    // Checked before anything else looks at it: every attempt records the URL.
    if sub.url.len() > MAX_URL_BYTES {
        return Err(ApiError::invalid(
            "invalid_url",
            format!("`url` is longer than {MAX_URL_BYTES} bytes"),
        ));
    }
    if sub.events.len() > MAX_EVENT_PATTERNS {
        return Err(ApiError::invalid(
            "invalid_event_type",
            format!("`events` lists more than {MAX_EVENT_PATTERNS} event types or patterns"),
        ));
    }
    state
        .dispatcher
        .sender()
        .check_url(&sub.url, state.allow_http)
        .map_err(|e| ApiError::invalid(e.code(), e.to_string()))?;
    state
        .dispatcher
        .sender()
        .check_url_resolves(&sub.url)
        .await
        .map_err(|e| ApiError::invalid(e.code(), e.to_string()))?;
    if sub.events.is_empty() {
        return Err(ApiError::invalid(
            "invalid_event_type",
            "`events` must list at least one event type or pattern",
        ));
    }
    for pattern in &sub.events {
        EventPattern::parse(pattern)
            .map_err(|e| ApiError::invalid("invalid_event_type", e.to_string()))?;
    }
    if sub.description.as_ref().is_some_and(|d| d.len() > 1024) {
        return Err(ApiError::invalid(
            "invalid_body",
            "`description` is longer than 1024 bytes",
        ));
    }
    if sub.metadata.len() > 64
        || sub
            .metadata
            .iter()
            .any(|(k, v)| k.len() > 128 || v.len() > 1024)
    {
        return Err(ApiError::invalid(
            "invalid_body",
            "`metadata` allows 64 entries, keys up to 128 and values up to 1024 bytes",
        ));
    }
    if let Some(fields) = &sub.fields {
        let valid = !fields.is_empty()
            && fields.len() <= 256
            && fields.iter().all(|f| !f.is_empty() && f.len() <= 128);
        if !valid {
            return Err(ApiError::invalid(
                "invalid_fields",
                "`fields` lists 1 to 256 top-level field names of up to 128 bytes",
            ));
        }
    }
    if let Some(batch) = &sub.batch {
        let valid = (1..=1000).contains(&batch.max_events)
            && batch.max_wait_ms <= 3_600_000
            && batch
                .items_at
                .as_ref()
                .is_none_or(|p| p.starts_with('/') && p.len() <= 256);
        if !valid {
            return Err(ApiError::invalid(
                "invalid_batch",
                "`batch` needs `maxEvents` 1 to 1000, `maxWaitMs` 0 to 3600000 and an \
                 `itemsAt` JSON pointer such as `/events`",
            ));
        }
    }
    if let Some(rate) = &sub.rate_limit
        && !((1..=10_000).contains(&rate.per_second) && (1..=10_000).contains(&rate.burst))
    {
        return Err(ApiError::invalid(
            "invalid_rate_limit",
            "`rateLimit` needs `perSecond` and `burst` from 1 to 10000",
        ));
    }
    if let Some(order) = &sub.ordering {
        if !crate::dispatch::valid_ordering_key(&order.key) {
            return Err(ApiError::invalid(
                "invalid_ordering",
                "`ordering.key` is a dotted path in the event: `object.id`, \
                 `object.account.id`, `previous.id`, `tenant` or `type`",
            ));
        }
        if sub.batch.is_some() {
            return Err(ApiError::invalid(
                "invalid_ordering",
                "`ordering` and `batch` do not go together: a batch has no single key",
            ));
        }
    }
    check_headers(sub)?;
    for s in &sub.secrets {
        sub.signing
            .accepts_secret(&s.value)
            .map_err(|e| ApiError::invalid("invalid_secret", e.to_string()))?;
    }
    check_plugin(state, sub).await
}

/// Static headers: at most 20, valid names, values without control characters (4 KiB at
/// most), none the host or the signature sets.
pub(super) fn check_headers(sub: &Subscription) -> ApiResult<()> {
    let signing = sub.signing.header_names();
    if sub.headers.len() > 20 {
        return Err(ApiError::invalid("invalid_headers", "at most 20 `headers`"));
    }
    for (name, value) in &sub.headers {
        if !http_header::valid_name(name) || value.len() > 4096 || !http_header::valid_value(value)
        {
            return Err(ApiError::invalid(
                "invalid_headers",
                format!(
                    "header {name:?}: a token name and a value of up to 4096 bytes without \
                     control characters"
                ),
            ));
        }
        if http_header::host_owned(name) || signing.contains(&name.to_ascii_lowercase()) {
            return Err(ApiError::invalid(
                "invalid_headers",
                format!("header {name:?} is set by hookshape"),
            ));
        }
    }
    Ok(())
}

/// Prepares the subscription's plugin once with its config: a refused config is a 422.
pub(in crate::api) async fn check_plugin(state: &AppState, sub: &Subscription) -> ApiResult<()> {
    match state.dispatcher.check_plugin(sub).await {
        Ok(()) => Ok(()),
        Err(PrepareError::Config(Failure::Config { message })) => {
            Err(ApiError::invalid("invalid_plugin_config", message))
        }
        Err(PrepareError::Config(Failure::Limits { detail })) => {
            Err(ApiError::invalid("invalid_limits", detail))
        }
        Err(PrepareError::Config(failure)) => Err(ApiError::invalid(
            "invalid_plugin_config",
            format!("the plugin failed while reading its config: {failure}"),
        )),
        Err(PrepareError::UnknownPlugin(id)) => Err(ApiError::invalid(
            "unknown_plugin",
            format!("no plugin `{id}`"),
        )),
        Err(PrepareError::Load(e)) => Err(ApiError::invalid(e.code(), e.to_string())),
        Err(PrepareError::Store(e)) => Err(e.into()),
    }
}

/// Event types a subscription names that the workspace's catalog does not list (when it has
/// a catalog at all): likely typos, accepted but pointed out.
pub(super) async fn catalog_warnings(
    state: &AppState,
    sub: &Subscription,
) -> ApiResult<Vec<String>> {
    let catalog = state.dispatcher.store().catalog(&sub.workspace).await?;
    if catalog.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sub
        .events
        .iter()
        .filter(|e| !e.contains('*') && !catalog.iter().any(|c| &c.name == *e))
        .map(|e| format!("event type `{e}` is not in the catalog"))
        .collect())
}
