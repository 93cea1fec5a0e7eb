"""hookshape from Python: publish events and run webhooks through the API, and verify the
requests hookshape sends.

    import hookshape

    client = hookshape.Hookshape(token="hks_…", url="https://hooks.example.com")
    client.events.send(type="member.updated", object={"id": "m_1"}, workspace="acme")
    for delivery in client.deliveries.list(workspace="acme", status="failed"):
        print(delivery["id"], delivery["lastError"])

    # In a receiver:
    hookshape.verify(secret, request.headers, request.body)   # raises WebhookVerificationError

The calls go through a client generated from hookshape's OpenAPI document (`hookshape._api`).
"""

from .client import Hookshape, HookshapeError
from .webhooks import WebhookVerificationError, verify

__all__ = ["Hookshape", "HookshapeError", "WebhookVerificationError", "verify"]
