// The TypeScript SDK (built to sdks/typescript/dist) against a real server
// (tests/tests/sdks.rs): the same steps as check.py, under Node.
import { readFileSync, writeFileSync } from "node:fs";
import { Hookshape, HookshapeError, verify, WebhookVerificationError } from "../../sdks/typescript/dist/index.js";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const client = new Hookshape({ token: job.token, url: job.url });
const out = {};

if (job.step === "publish") {
  const event = { type: "member.updated", object: { id: "m_1", name: "Ada" }, id: "evt_ts" };
  out.first = await client.events.send(event);
  out.again = await client.events.send(event);
  let deliveries = [];
  for (let i = 0; i < 200; i++) {
    deliveries = [];
    for await (const d of client.deliveries.list({ pageSize: 2 })) if (d.eventId === "evt_ts") deliveries.push(d);
    if (deliveries.length >= job.expect && deliveries.every((d) => d.status === "succeeded")) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  out.deliveries = deliveries;
  try {
    await client.events.send({ type: "Not A Type", object: {} });
  } catch (e) {
    if (!(e instanceof HookshapeError)) throw e;
    out.error = { status: e.status, code: e.code, detail: e.detail };
  }
  try {
    await client.subscriptions.create({ url: "https://x.example/h", events: ["a.b"] }, { workspace: "nowhere" });
  } catch (e) {
    if (!(e instanceof HookshapeError)) throw e;
    out.unknown_workspace = e.code;
  }
}

if (job.step === "burst") {
  // More than the workspace's publish rate: the 429s are waited out, nothing is lost.
  const started = Date.now();
  out.ids = [];
  for (let n = 0; n < 6; n++) out.ids.push((await client.events.send({ type: "member.updated", object: { n }, id: `burst_${n}` })).id);
  out.seconds = (Date.now() - started) / 1000;
}

if (job.step === "verify") {
  out.results = job.requests.map((r) => {
    const check = (body, now) => {
      try {
        verify(r.secret, r.headers, body, { scheme: r.scheme, signatureHeader: r.header, now });
        return "valid";
      } catch (e) {
        if (!(e instanceof WebhookVerificationError)) throw e;
        return "invalid: " + e.message;
      }
    };
    return {
      scheme: r.scheme,
      valid: check(r.body),
      tampered: check(r.body.replace("Ada", "Eve")),
      late: check(r.body, Date.now() / 1000 + 3600),
    };
  });
}

if (job.step === "resources") {
  // Plugins, the catalog and candidates through the written surface, in a workspace.
  const workspace = job.workspace;
  const plugin = await client.plugins.upload(readFileSync(job.wasm), { name: "select", workspace });
  out.plugin = plugin;
  out.listed_plugin = (await client.plugins.list({ workspace })).filter((p) => p.id === plugin.id).map((p) => p.name);
  out.run = await client.plugins.run(
    plugin.id,
    { event: { type: "member.updated", object: { id: "m_1", name: "Ada" } }, config: { fields: ["id"] } },
    { workspace },
  );
  await client.eventTypes.create({ name: "invoice.paid", description: "An invoice was paid", example: { id: "inv_1" } }, { workspace });
  await client.eventTypes.update("invoice.paid", { deprecated: true }, { workspace });
  out.event_type = await client.eventTypes.get("invoice.paid", { workspace });
  out.listed_type = (await client.eventTypes.list({ workspace })).filter((t) => t.name === "invoice.paid").map((t) => t.name);
  const sub = await client.subscriptions.create({ url: job.receiver, events: ["member.*"] }, { workspace });
  await client.subscriptions.candidates.set(sub.id, { plugin: { id: plugin.id, config: { fields: ["id"] } } }, { workspace });
  out.candidate = await client.subscriptions.candidates.get(sub.id, { workspace });
  out.promoted = await client.subscriptions.candidates.promote(sub.id, { workspace });
  await client.eventTypes.delete("invoice.paid", { workspace });
  try {
    await client.eventTypes.get("invoice.paid", { workspace });
  } catch (e) {
    if (!(e instanceof HookshapeError)) throw e;
    out.type_gone = e.code;
  }
  await client.subscriptions.delete(sub.id, { workspace });
  await client.plugins.delete(plugin.id, { workspace });
  out.plugins_after = (await client.plugins.list({ workspace })).map((p) => p.id);
  const sent = await client.events.send(
    { type: "member.updated", object: { id: "m_2" }, id: "evt_traced" },
    { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
  );
  out.traced = sent.id;
}

writeFileSync(process.argv[3], JSON.stringify(out));
