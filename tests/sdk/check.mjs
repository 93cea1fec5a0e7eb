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

writeFileSync(process.argv[3], JSON.stringify(out));
