"""Checks one received request the way an independent receiver does, with code that is not
hookshape's. Reads {"scheme", "secret", "headers", "body"} from stdin (headers with lower-case
names, body as the raw text received); exits 0 when the request verifies, 1 when it does not,
2 on bad input.

Schemes: "officernd" (the four steps of seed 002 with Python's hmac) and "standard-webhooks"
(the `standardwebhooks` package from PyPI).
"""

import hashlib
import hmac
import json
import sys
import time


def officernd(secret: str, headers: dict, raw_body: str) -> bool:
    # 1. Extract the timestamp and signatures: split on ",", then each part on "=".
    pairs = dict(part.split("=", 1) for part in headers["officernd-signature"].split(","))
    timestamp, signature = pairs["t"], pairs["signature"]
    # ... and check the timestamp is within our tolerance (five minutes).
    if abs(time.time() - int(timestamp)) > 300:
        return False
    # 2. Prepare the payload to sign: raw body, a dot, the timestamp.
    signed_payload = raw_body + "." + timestamp
    # 3. Compute the expected signature: HMAC-SHA256 keyed by the secret, hex digest.
    expected = hmac.new(secret.encode(), signed_payload.encode(), hashlib.sha256).hexdigest()
    # 4. Compare the signatures.
    return hmac.compare_digest(expected, signature)


def standard_webhooks(secret: str, headers: dict, raw_body: str) -> bool:
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    try:
        Webhook(secret).verify(raw_body, headers)
        return True
    except WebhookVerificationError:
        return False


def main() -> int:
    try:
        case = json.load(sys.stdin)
        check = {"officernd": officernd, "standard-webhooks": standard_webhooks}[case["scheme"]]
        ok = check(case["secret"], case["headers"], case["body"])
    except Exception as e:  # noqa: BLE001 - any bad input is exit 2 with its reason
        print(f"verify.py: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    print("valid" if ok else "invalid")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
