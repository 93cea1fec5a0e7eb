"""The Python SDK against a real server (tests/tests/sdks.rs): publishes with the client, lists
deliveries, and verifies the requests the server sent under each scheme. Input and output are
JSON files named by argv."""

import json
import sys
import time

import hookshape

job = json.load(open(sys.argv[1]))
client = hookshape.Hookshape(token=job["token"], url=job["url"])
out = {}

if job["step"] == "publish":
    first = client.events.send(type="member.updated", object={"id": "m_1", "name": "Ada"}, id="evt_py")
    again = client.events.send(type="member.updated", object={"id": "m_1", "name": "Ada"}, id="evt_py")
    out["first"], out["again"] = first, again
    deliveries = []
    for _ in range(200):
        deliveries = [d for d in client.deliveries.list(page_size=2) if d["eventId"] == "evt_py"]
        if len(deliveries) >= job["expect"] and all(d["status"] == "succeeded" for d in deliveries):
            break
        time.sleep(0.05)
    out["deliveries"] = deliveries
    try:
        client.events.send(type="Not A Type", object={})
    except hookshape.HookshapeError as e:
        out["error"] = {"status": e.status, "code": e.code, "detail": e.detail}
    try:
        client.subscriptions.create(url="https://x.example/h", events=["a.b"], workspace="nowhere")
    except hookshape.HookshapeError as e:
        out["unknown_workspace"] = e.code

if job["step"] == "burst":
    # More than the workspace's publish rate: the 429s are waited out, nothing is lost.
    started = time.time()
    out["ids"] = [client.events.send(type="member.updated", object={"n": n}, id=f"burst_{n}")["id"] for n in range(6)]
    out["seconds"] = time.time() - started

if job["step"] == "verify":
    results = []
    for r in job["requests"]:
        def check(body, now=None):
            try:
                hookshape.verify(r["secret"], [tuple(h) for h in r["headers"]], body, scheme=r["scheme"],
                                 signature_header=r.get("header"), now=now)
                return "valid"
            except hookshape.WebhookVerificationError as e:
                return "invalid: " + str(e)
        tampered = r["body"].replace("Ada", "Eve")
        late = time.time() + 3600
        results.append({"scheme": r["scheme"], "valid": check(r["body"]), "tampered": check(tampered),
                        "late": check(r["body"], now=late)})
    out["results"] = results

if job["step"] == "resources":
    # Plugins, the catalog and candidates through the written surface, in a workspace.
    ws = job["workspace"]
    plugin = client.plugins.upload(open(job["wasm"], "rb").read(), name="select", workspace=ws)
    out["plugin"] = plugin
    out["listed_plugin"] = [p["name"] for p in client.plugins.list(workspace=ws) if p["id"] == plugin["id"]]
    out["run"] = client.plugins.run(
        plugin["id"], event={"type": "member.updated", "object": {"id": "m_1", "name": "Ada"}},
        config={"fields": ["id"]}, workspace=ws)
    client.event_types.create(name="invoice.paid", description="An invoice was paid", example={"id": "inv_1"}, workspace=ws)
    client.event_types.update("invoice.paid", deprecated=True, workspace=ws)
    out["event_type"] = client.event_types.get("invoice.paid", workspace=ws)
    out["listed_type"] = [t["name"] for t in client.event_types.list(workspace=ws) if t["name"] == "invoice.paid"]
    sub = client.subscriptions.create(url=job["receiver"], events=["member.*"], workspace=ws)
    client.subscriptions.set_candidate(sub["id"], plugin={"id": plugin["id"], "config": {"fields": ["id"]}}, workspace=ws)
    out["candidate"] = client.subscriptions.candidate(sub["id"], workspace=ws)
    out["promoted"] = client.subscriptions.promote_candidate(sub["id"], workspace=ws)
    client.event_types.delete("invoice.paid", workspace=ws)
    try:
        client.event_types.get("invoice.paid", workspace=ws)
    except hookshape.HookshapeError as e:
        out["type_gone"] = e.code
    client.subscriptions.delete(sub["id"], workspace=ws)
    client.plugins.delete(plugin["id"], workspace=ws)
    out["plugins_after"] = [p["id"] for p in client.plugins.list(workspace=ws)]
    sent = client.events.send(type="member.updated", object={"id": "m_2"}, id="evt_traced",
                              traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    out["traced"] = sent["id"]

json.dump(out, open(sys.argv[2], "w"))
