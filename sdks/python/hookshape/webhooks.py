"""Verifying what hookshape sends, under each of its signing schemes, in one call:

    hookshape.verify(secret, headers, body)                                   # Standard Webhooks
    hookshape.verify(secret, headers, body, scheme="hex-hmac", signature_header="X-Famly-Hmac")
    hookshape.verify(secret, headers, body, scheme="timestamped-hmac", signature_header="officernd-signature")
    hookshape.verify(secret, headers, body, scheme="body-signature")

`body` is the raw body (bytes or str) as received; `headers` a mapping or (name, value) pairs.
A signed timestamp further than `tolerance` seconds from now is refused (replays)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any, Iterable, Mapping, Optional, Tuple, Union

SCHEMES = ("standard-webhooks", "hex-hmac", "timestamped-hmac", "body-signature")


class WebhookVerificationError(Exception):
    """The request is not what hookshape signed with this secret; the message says why."""


def _header(headers: Union[Mapping[str, str], Iterable[Tuple[str, str]]], name: str) -> str:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in pairs:
        if key.lower() == name.lower():
            return value
    raise WebhookVerificationError(f"no `{name}` header")


def _hex_hmac(secret: str, *parts: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part)
    return mac.hexdigest()


def _fresh(t: int, now: float, tolerance: int) -> None:
    if abs(now - t) > tolerance:
        raise WebhookVerificationError(f"timestamp {t} is more than {tolerance} s from now")


def _payload_text(body: bytes) -> Tuple[str, str]:
    """The payload exactly as signed, and the signature: hookshape writes
    `{"payload":<payload>,"signature":"<hex>"}`."""
    text = body.decode("utf-8")
    prefix, marker = '{"payload":', ',"signature":"'
    cut = text.rfind(marker)
    if text.startswith(prefix) and cut > 0 and text.endswith('"}'):
        return text[len(prefix):cut], text[cut + len(marker):-2]
    try:
        value = json.loads(text)
    except ValueError as e:
        raise WebhookVerificationError(f"the body is not JSON: {e}") from None
    if not isinstance(value, dict) or "payload" not in value or not isinstance(value.get("signature"), str):
        raise WebhookVerificationError("the body has no `payload` and `signature`")
    return json.dumps(value["payload"], separators=(",", ":"), ensure_ascii=False), value["signature"]


def verify(
    secret: str,
    headers: Any,
    body: Union[bytes, str],
    scheme: str = "standard-webhooks",
    signature_header: Optional[str] = None,
    tolerance: int = 300,
    now: Optional[float] = None,
) -> None:
    """Returns when the request is signed with `secret` under `scheme`; raises
    WebhookVerificationError otherwise."""
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    now = time.time() if now is None else now
    if scheme == "standard-webhooks":
        if not secret.startswith("whsec_"):
            raise WebhookVerificationError("a Standard Webhooks secret starts with `whsec_`")
        key = base64.b64decode(secret[len("whsec_"):])
        msg_id = _header(headers, "webhook-id")
        ts = _header(headers, "webhook-timestamp")
        try:
            t = int(ts)
        except ValueError:
            raise WebhookVerificationError(f"`webhook-timestamp` is not unix seconds: {ts}") from None
        _fresh(t, now, tolerance)
        mac = hmac.new(key, f"{msg_id}.{t}.".encode("utf-8") + raw, hashlib.sha256).digest()
        mine = "v1," + base64.b64encode(mac).decode("ascii")
        theirs = _header(headers, "webhook-signature").split(" ")
        if not any(hmac.compare_digest(mine, s) for s in theirs):
            raise WebhookVerificationError("`webhook-signature` does not match")
        return
    if scheme in ("hex-hmac", "timestamped-hmac") and not signature_header:
        raise ValueError(f"scheme {scheme} needs signature_header=")
    if scheme == "hex-hmac":
        theirs = _header(headers, signature_header).strip().lower()
        if not hmac.compare_digest(_hex_hmac(secret, raw), theirs):
            raise WebhookVerificationError(f"`{signature_header}` does not match")
        return
    if scheme == "timestamped-hmac":
        fields = dict(
            part.strip().split("=", 1) for part in _header(headers, signature_header).split(",") if "=" in part
        )
        if "t" not in fields or "signature" not in fields or not fields["t"].isdigit():
            raise WebhookVerificationError(f"`{signature_header}` is not `t=<unix>,signature=<hex>`")
        t = int(fields["t"])
        _fresh(t, now, tolerance)
        mine = _hex_hmac(secret, raw, b".", str(t).encode("ascii"))
        if not hmac.compare_digest(mine, fields["signature"].lower()):
            raise WebhookVerificationError(f"`{signature_header}` does not match")
        return
    if scheme == "body-signature":
        payload, theirs = _payload_text(raw)
        mine = _hex_hmac(secret, payload.encode("utf-8"))
        if not any(hmac.compare_digest(mine, s.lower()) for s in theirs.split(" ")):
            raise WebhookVerificationError("`signature` does not match")
        return
    raise ValueError(f"unknown scheme {scheme!r}: one of {', '.join(SCHEMES)}")
