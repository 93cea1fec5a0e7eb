//! A subscription's signing secret: revealed to those who may see it, rotated with an
//! overlap during which both sign.

use super::*;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(secret))
        .routes(routes!(rotate))
}

pub(super) fn secret_out(sub: &Subscription) -> SecretOut {
    let now = time::now_ms();
    let live: Vec<&Secret> = sub
        .secrets
        .iter()
        .filter(|s| s.expires_ms.is_none_or(|e| e > now))
        .collect();
    SecretOut {
        secret: live.first().map(|s| s.value.clone()).unwrap_or_default(),
        previous: live
            .iter()
            .skip(1)
            .map(|s| PreviousSecretOut {
                secret: s.value.clone(),
                expires: time::rfc3339_ms(s.expires_ms.unwrap_or(now)),
            })
            .collect(),
    }
}

/// Reveal the signing secret (and earlier ones still signing during a rotation).
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(get, path = "/v1/subscriptions/{id}/secret", operation_id = "reveal_secret", tag = "subscriptions",
    params(("id" = String, Path)),
    responses((status = 200, body = SecretOut), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn secret(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<SecretOut>> {
    Ok(Json(secret_out(
        &load(&state, &scope.workspace, &id).await?,
    )))
}

/// Rotate the signing secret. The old one keeps signing beside the new one for the overlap
/// (default 24 h), so receivers can switch without missing a request.
///
/// Needs `manage` (admin; manager of the workspace).
#[utoipa::path(post, path = "/v1/subscriptions/{id}/secret/rotate", operation_id = "rotate_secret", tag = "subscriptions",
    params(("id" = String, Path)),
    request_body(content = Option<RotateIn>),
    responses((status = 200, body = SecretOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn rotate(
    scope: Scope<Manage>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<SecretOut>> {
    // The body is optional, so it is read as bytes rather than required as JSON.
    let body = body?;
    let input: RotateIn = if body.iter().all(u8::is_ascii_whitespace) {
        RotateIn::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                ApiError::invalid("invalid_body", e.to_string())
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.to_string())
            }
        })?
    };
    let current = load(&state, &scope.workspace, &id).await?;
    let secret = input.secret.unwrap_or_else(sign::generate_secret);
    current
        .signing
        .accepts_secret(&secret)
        .map_err(|e| ApiError::invalid("invalid_secret", e.to_string()))?;
    let overlap_ms = input
        .overlap_seconds
        .map_or(state.rotation_overlap_ms, |s| s.saturating_mul(1000));
    let now = time::now_ms();
    let updated = state
        .dispatcher
        .store()
        .update_subscription(&scope.workspace, &id, None, |s| {
            s.secrets.retain(|x| x.expires_ms.is_none_or(|e| e > now));
            for old in &mut s.secrets {
                let until = now.saturating_add(overlap_ms);
                old.expires_ms = Some(old.expires_ms.map_or(until, |e| e.min(until)));
            }
            s.secrets.insert(
                0,
                Secret {
                    value: secret.clone(),
                    created_ms: now,
                    expires_ms: None,
                },
            );
            s.updated_ms = now;
            Ok::<(), ()>(())
        })
        .await?;
    match updated {
        Ok(Updated::Done(sub)) => {
            let out = secret_out(&sub);
            activate(&state, sub).await?;
            Ok(Json(out))
        }
        _ => Err(ApiError::not_found("subscription")),
    }
}
