// Verifying what hookshape sends, under each of its signing schemes, in one call:
//
//   verify(secret, headers, body);                                        // Standard Webhooks
//   verify(secret, headers, body, { scheme: "hex-hmac", signatureHeader: "X-Famly-Hmac" });
//   verify(secret, headers, body, { scheme: "timestamped-hmac", signatureHeader: "officernd-signature" });
//   verify(secret, headers, body, { scheme: "body-signature" });
//
// `body` is the raw body as received (a string or bytes); `headers` a Headers, a plain object
// or [name, value] pairs. A signed timestamp further than `toleranceSeconds` from now is
// refused (replays).

import { createHmac, timingSafeEqual } from "node:crypto";

export type Scheme = "standard-webhooks" | "hex-hmac" | "timestamped-hmac" | "body-signature";

export interface VerifyOptions {
  scheme?: Scheme;
  /** The header `hex-hmac` and `timestamped-hmac` sign in. */
  signatureHeader?: string;
  /** Default 300. */
  toleranceSeconds?: number;
  /** Unix seconds (default: now). */
  now?: number;
}

/** The request is not what hookshape signed with this secret; the message says why. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

type HeadersLike = Headers | Record<string, string | string[] | undefined> | Iterable<[string, string]>;

function header(headers: HeadersLike, name: string): string {
  const wanted = name.toLowerCase();
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    const v = headers.get(wanted);
    if (v !== null) return v;
  } else if (Symbol.iterator in Object(headers)) {
    for (const [k, v] of headers as Iterable<[string, string]>) if (k.toLowerCase() === wanted) return v;
  } else {
    for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
      if (k.toLowerCase() === wanted && v !== undefined) return Array.isArray(v) ? v.join(", ") : v;
    }
  }
  throw new WebhookVerificationError(`no \`${name}\` header`);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hexHmac(secret: string | Buffer, ...parts: (string | Buffer)[]): string {
  const mac = createHmac("sha256", secret);
  for (const p of parts) mac.update(p);
  return mac.digest("hex");
}

function fresh(t: number, now: number, tolerance: number): void {
  if (Math.abs(now - t) > tolerance) {
    throw new WebhookVerificationError(`timestamp ${t} is more than ${tolerance} s from now`);
  }
}

/** Returns when the request is signed with `secret`; throws WebhookVerificationError otherwise. */
export function verify(secret: string, headers: HeadersLike, body: string | Uint8Array, options: VerifyOptions = {}): void {
  const raw = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const scheme = options.scheme ?? "standard-webhooks";
  const now = options.now ?? Date.now() / 1000;
  const tolerance = options.toleranceSeconds ?? 300;
  switch (scheme) {
    case "standard-webhooks": {
      if (!secret.startsWith("whsec_")) throw new WebhookVerificationError("a Standard Webhooks secret starts with `whsec_`");
      const key = Buffer.from(secret.slice("whsec_".length), "base64");
      const id = header(headers, "webhook-id");
      const ts = header(headers, "webhook-timestamp");
      if (!/^\d+$/.test(ts)) throw new WebhookVerificationError(`\`webhook-timestamp\` is not unix seconds: ${ts}`);
      const t = Number(ts);
      fresh(t, now, tolerance);
      const mac = createHmac("sha256", key).update(`${id}.${t}.`).update(raw).digest("base64");
      const mine = `v1,${mac}`;
      if (!header(headers, "webhook-signature").split(" ").some((s) => same(s, mine))) {
        throw new WebhookVerificationError("`webhook-signature` does not match");
      }
      return;
    }
    case "hex-hmac": {
      const name = needHeader(scheme, options);
      if (!same(hexHmac(secret, raw), header(headers, name).trim().toLowerCase())) {
        throw new WebhookVerificationError(`\`${name}\` does not match`);
      }
      return;
    }
    case "timestamped-hmac": {
      const name = needHeader(scheme, options);
      const fields = new Map<string, string>();
      for (const part of header(headers, name).split(",")) {
        const i = part.indexOf("=");
        if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
      }
      const ts = fields.get("t") ?? "";
      const signature = fields.get("signature");
      if (!/^\d+$/.test(ts) || !signature) throw new WebhookVerificationError(`\`${name}\` is not \`t=<unix>,signature=<hex>\``);
      const t = Number(ts);
      fresh(t, now, tolerance);
      if (!same(hexHmac(secret, raw, ".", String(t)), signature.toLowerCase())) {
        throw new WebhookVerificationError(`\`${name}\` does not match`);
      }
      return;
    }
    case "body-signature": {
      let value: { payload?: unknown; signature?: unknown };
      try {
        value = JSON.parse(raw.toString("utf8"));
      } catch (e) {
        throw new WebhookVerificationError(`the body is not JSON: ${(e as Error).message}`);
      }
      if (!value || typeof value !== "object" || !("payload" in value) || typeof value.signature !== "string") {
        throw new WebhookVerificationError("the body has no `payload` and `signature`");
      }
      // The payload is signed as JSON.stringify writes it.
      const mine = hexHmac(secret, JSON.stringify(value.payload));
      if (!value.signature.split(" ").some((s) => same(s.toLowerCase(), mine))) {
        throw new WebhookVerificationError("`signature` does not match");
      }
      return;
    }
    default:
      throw new Error(`unknown scheme ${String(scheme)}`);
  }
}

function needHeader(scheme: Scheme, options: VerifyOptions): string {
  if (!options.signatureHeader) throw new Error(`scheme ${scheme} needs { signatureHeader }`);
  return options.signatureHeader;
}
