// hookshape from TypeScript: publish events and run webhooks through the API, and verify the
// requests hookshape sends. Calls go through openapi-fetch, typed by `schema.d.ts`, which is
// generated from hookshape's OpenAPI document.
//
//   import { Hookshape, verify } from "hookshape";
//   const client = new Hookshape({ token: "hks_…", url: "https://hooks.example.com" });
//   await client.events.send({ type: "member.updated", object: { id: "m_1" } });
//   for await (const d of client.deliveries.list({ status: "failed" })) console.log(d.id);

import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

export { verify, WebhookVerificationError } from "./webhooks.js";
export type { VerifyOptions } from "./webhooks.js";
export type Schemas = components["schemas"];

type Json = Record<string, unknown>;

/** An answer other than 2xx: `status`, the API's stable `code` and its `detail`. */
export class HookshapeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "HookshapeError";
  }
}

export interface HookshapeOptions {
  /** Default: `HOOKSHAPE_TOKEN`. */
  token?: string;
  /** Default: `HOOKSHAPE_URL`, else `http://127.0.0.1:8080`. */
  url?: string;
  /** The workspace of every call that names none. */
  workspace?: string;
  /** 429s retried after their `Retry-After` (default 3). */
  maxRetries?: number;
}

interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

/** Retries a 429 after its `Retry-After` (capped at a minute). */
function retrying(maxRetries: number): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(request.clone());
      if (response.status !== 429 || attempt >= maxRetries) return response;
      const seconds = Math.min(Math.max(Number(response.headers.get("retry-after") ?? "1") || 1, 0), 60);
      await new Promise((done) => setTimeout(done, seconds * 1000));
    }
  };
}

export class Hookshape {
  readonly events: Events;
  readonly deliveries: Deliveries;
  readonly subscriptions: Subscriptions;
  readonly workspaces: Workspaces;
  readonly tokens: Tokens;
  readonly plugins: Plugins;
  readonly eventTypes: EventTypes;
  /** The generated, typed client, for every route the surface leaves out. */
  readonly api: ReturnType<typeof createClient<paths>>;
  readonly workspace?: string;
  private readonly url: string;
  private readonly token: string;
  private readonly fetch: typeof fetch;

  constructor(options: HookshapeOptions = {}) {
    const token = options.token ?? process.env.HOOKSHAPE_TOKEN;
    if (!token) throw new Error("give { token } or set HOOKSHAPE_TOKEN");
    const url = (options.url ?? process.env.HOOKSHAPE_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
    this.workspace = options.workspace;
    this.url = url;
    this.token = token;
    this.fetch = retrying(options.maxRetries ?? 3);
    this.api = createClient<paths>({
      baseUrl: url,
      headers: { Authorization: `Bearer ${token}` },
      fetch: this.fetch,
    });
    this.events = new Events(this);
    this.deliveries = new Deliveries(this);
    this.subscriptions = new Subscriptions(this);
    this.workspaces = new Workspaces(this);
    this.tokens = new Tokens(this);
    this.plugins = new Plugins(this);
    this.eventTypes = new EventTypes(this);
  }

  /** The workspace a call acts in, if any. */
  ws(workspace?: string): string | undefined {
    return workspace ?? this.workspace;
  }

  /** A request the typed client cannot make (a plugin's wasm upload): `path` under `/v1`, or
   * under the call's workspace. */
  async raw<T>(method: string, path: string, init: RequestInit & { workspace?: string } = {}): Promise<T> {
    const ws = this.ws(init.workspace);
    const prefix = ws ? `/v1/workspaces/${encodeURIComponent(ws)}` : "/v1";
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${this.token}`);
    const response = await this.fetch(`${this.url}${prefix}${path}`, { ...init, method, headers });
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new HookshapeError(response.status, body?.code ?? `http_${response.status}`, body?.detail ?? response.statusText);
    }
    return body as T;
  }
}

/** The answer's data, or the API's error thrown. */
async function unwrap<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const body = (error ?? {}) as { code?: string; detail?: string };
    throw new HookshapeError(response.status, body.code ?? `http_${response.status}`, body.detail ?? response.statusText);
  }
  return data as T;
}

async function* pages<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

class Events {
  constructor(private readonly c: Hookshape) {}

  /** Publishes an event; an `id` makes it idempotent (a repeat creates nothing). A W3C
   * `traceparent` makes the publish and its attempts part of the caller's trace. */
  send(event: Schemas["EventIn"], options: { workspace?: string; traceparent?: string } = {}): Promise<Schemas["EventAccepted"]> {
    const ws = this.c.ws(options.workspace);
    const header = options.traceparent ? { traceparent: options.traceparent } : {};
    return unwrap(
      ws
        ? this.c.api.POST("/v1/workspaces/{ws}/events", { params: { path: { ws }, header }, body: event })
        : this.c.api.POST("/v1/events", { params: { header }, body: event }),
    );
  }

  get(id: string, options: { workspace?: string } = {}): Promise<Schemas["EventOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.GET("/v1/workspaces/{ws}/events/{id}", { params: { path: { ws, id } } })
        : this.c.api.GET("/v1/events/{id}", { params: { path: { id } } }),
    );
  }

  list(query: { type?: string; since?: string; workspace?: string; pageSize?: number } = {}): AsyncGenerator<Schemas["EventOut"]> {
    const ws = this.c.ws(query.workspace);
    return pages((before) => {
      const q = { type: query.type, since: query.since, limit: query.pageSize ?? 100, before };
      return unwrap(
        ws
          ? this.c.api.GET("/v1/workspaces/{ws}/events", { params: { path: { ws }, query: q } })
          : this.c.api.GET("/v1/events", { params: { query: q } }),
      );
    });
  }
}

class Deliveries {
  constructor(private readonly c: Hookshape) {}

  /** Deliveries, newest first, every page. */
  list(
    query: { status?: string; type?: string; subscription?: string; since?: string; until?: string; workspace?: string; pageSize?: number } = {},
  ): AsyncGenerator<Schemas["DeliveryOut"]> {
    const ws = this.c.ws(query.workspace);
    return pages((before) => {
      const q = {
        status: query.status,
        type: query.type,
        subscription: query.subscription,
        since: query.since,
        until: query.until,
        limit: query.pageSize ?? 100,
        before,
      };
      return unwrap(
        ws
          ? this.c.api.GET("/v1/workspaces/{ws}/deliveries", { params: { path: { ws }, query: q } })
          : this.c.api.GET("/v1/deliveries", { params: { query: q } }),
      );
    });
  }

  /** A delivery with every attempt (`attemptLog`). */
  get(id: string, options: { workspace?: string } = {}): Promise<Schemas["DeliveryDetailOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.GET("/v1/workspaces/{ws}/deliveries/{id}", { params: { path: { ws, id } } })
        : this.c.api.GET("/v1/deliveries/{id}", { params: { path: { id } } }),
    );
  }

  retry(id: string, options: { workspace?: string } = {}): Promise<Schemas["AttemptOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.POST("/v1/workspaces/{ws}/deliveries/{id}/retry", { params: { path: { ws, id } } })
        : this.c.api.POST("/v1/deliveries/{id}/retry", { params: { path: { id } } }),
    );
  }
}

class Subscriptions {
  /** A subscription's candidate plugin: set, compare, promote, stop. */
  readonly candidates: Candidates;

  constructor(private readonly c: Hookshape) {
    this.candidates = new Candidates(c);
  }

  /** Creates a subscription; the answer holds its `secret`, shown only here. */
  create(sub: Schemas["SubscriptionIn"], options: { workspace?: string } = {}): Promise<Schemas["SubscriptionOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.POST("/v1/workspaces/{ws}/subscriptions", { params: { path: { ws } }, body: sub })
        : this.c.api.POST("/v1/subscriptions", { body: sub }),
    );
  }

  get(id: string, options: { workspace?: string } = {}): Promise<Schemas["SubscriptionOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.GET("/v1/workspaces/{ws}/subscriptions/{id}", { params: { path: { ws, id } } })
        : this.c.api.GET("/v1/subscriptions/{id}", { params: { path: { id } } }),
    );
  }

  update(id: string, patch: Schemas["SubscriptionPatch"], options: { workspace?: string } = {}): Promise<Schemas["SubscriptionOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.PATCH("/v1/workspaces/{ws}/subscriptions/{id}", { params: { path: { ws, id } }, body: patch })
        : this.c.api.PATCH("/v1/subscriptions/{id}", { params: { path: { id } }, body: patch }),
    );
  }

  async delete(id: string, options: { workspace?: string } = {}): Promise<void> {
    const ws = this.c.ws(options.workspace);
    await unwrap(
      ws
        ? this.c.api.DELETE("/v1/workspaces/{ws}/subscriptions/{id}", { params: { path: { ws, id } } })
        : this.c.api.DELETE("/v1/subscriptions/{id}", { params: { path: { id } } }),
    );
  }

  list(query: { workspace?: string; pageSize?: number } = {}): AsyncGenerator<Schemas["SubscriptionOut"]> {
    const ws = this.c.ws(query.workspace);
    return pages((after) => {
      const q = { limit: query.pageSize ?? 100, after };
      return unwrap(
        ws
          ? this.c.api.GET("/v1/workspaces/{ws}/subscriptions", { params: { path: { ws }, query: q } })
          : this.c.api.GET("/v1/subscriptions", { params: { query: q } }),
      );
    });
  }
}

class Candidates {
  constructor(private readonly c: Hookshape) {}

  /** Tries another plugin beside the current one: its output is compared on live events, and
   * `percent` of them are sent with it (a canary). */
  set(id: string, candidate: Schemas["CandidateIn"], options: { workspace?: string } = {}): Promise<Schemas["SubscriptionOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.PUT("/v1/workspaces/{ws}/subscriptions/{id}/candidate", { params: { path: { ws, id } }, body: candidate })
        : this.c.api.PUT("/v1/subscriptions/{id}/candidate", { params: { path: { id } }, body: candidate }),
    );
  }

  /** The candidate and its comparison so far. */
  get(id: string, options: { workspace?: string } = {}): Promise<Schemas["CandidateReport"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.GET("/v1/workspaces/{ws}/subscriptions/{id}/candidate", { params: { path: { ws, id } } })
        : this.c.api.GET("/v1/subscriptions/{id}/candidate", { params: { path: { id } } }),
    );
  }

  promote(id: string, options: { workspace?: string } = {}): Promise<Schemas["SubscriptionOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.POST("/v1/workspaces/{ws}/subscriptions/{id}/candidate/promote", { params: { path: { ws, id } } })
        : this.c.api.POST("/v1/subscriptions/{id}/candidate/promote", { params: { path: { id } } }),
    );
  }

  stop(id: string, options: { workspace?: string } = {}): Promise<Schemas["SubscriptionOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.DELETE("/v1/workspaces/{ws}/subscriptions/{id}/candidate", { params: { path: { ws, id } } })
        : this.c.api.DELETE("/v1/subscriptions/{id}/candidate", { params: { path: { id } } }),
    );
  }
}

class Plugins {
  constructor(private readonly c: Hookshape) {}

  /** Uploads a WebAssembly component; the same bytes give the same id. */
  upload(wasm: Uint8Array, options: { name?: string; workspace?: string } = {}): Promise<Schemas["PluginOut"]> {
    const query = options.name ? `?name=${encodeURIComponent(options.name)}` : "";
    return this.c.raw("POST", `/plugins${query}`, {
      workspace: options.workspace,
      headers: { "content-type": "application/wasm" },
      // A Node Buffer is a Uint8Array over any ArrayBufferLike, which fetch sends as well.
      body: wasm as Uint8Array<ArrayBuffer>,
    });
  }

  get(id: string, options: { workspace?: string } = {}): Promise<Schemas["PluginOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.GET("/v1/workspaces/{ws}/plugins/{id}", { params: { path: { ws, id } } })
        : this.c.api.GET("/v1/plugins/{id}", { params: { path: { id } } }),
    );
  }

  async list(options: { workspace?: string } = {}): Promise<Schemas["PluginOut"][]> {
    const ws = this.c.ws(options.workspace);
    const page = await unwrap<Page<Schemas["PluginOut"]>>(
      ws ? this.c.api.GET("/v1/workspaces/{ws}/plugins", { params: { path: { ws } } }) : this.c.api.GET("/v1/plugins"),
    );
    return page.data;
  }

  async delete(id: string, options: { workspace?: string } = {}): Promise<void> {
    const ws = this.c.ws(options.workspace);
    await unwrap(
      ws
        ? this.c.api.DELETE("/v1/workspaces/{ws}/plugins/{id}", { params: { path: { ws, id } } })
        : this.c.api.DELETE("/v1/plugins/{id}", { params: { path: { id } } }),
    );
  }

  /** Runs the plugin on an event as a delivery would, sending and storing nothing. */
  run(id: string, run: Schemas["RunIn"], options: { workspace?: string } = {}): Promise<Schemas["RunOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.POST("/v1/workspaces/{ws}/plugins/{id}/run", { params: { path: { ws, id } }, body: run })
        : this.c.api.POST("/v1/plugins/{id}/run", { params: { path: { id } }, body: run }),
    );
  }
}

/** The catalog: event types with their schema and example. */
class EventTypes {
  constructor(private readonly c: Hookshape) {}

  create(type: Schemas["EventTypeIn"], options: { workspace?: string } = {}): Promise<Schemas["EventTypeOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.POST("/v1/workspaces/{ws}/event-types", { params: { path: { ws } }, body: type })
        : this.c.api.POST("/v1/event-types", { body: type }),
    );
  }

  get(name: string, options: { workspace?: string } = {}): Promise<Schemas["EventTypeOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.GET("/v1/workspaces/{ws}/event-types/{name}", { params: { path: { ws, name } } })
        : this.c.api.GET("/v1/event-types/{name}", { params: { path: { name } } }),
    );
  }

  async list(options: { workspace?: string } = {}): Promise<Schemas["EventTypeOut"][]> {
    const ws = this.c.ws(options.workspace);
    const page = await unwrap<Page<Schemas["EventTypeOut"]>>(
      ws ? this.c.api.GET("/v1/workspaces/{ws}/event-types", { params: { path: { ws } } }) : this.c.api.GET("/v1/event-types"),
    );
    return page.data;
  }

  update(name: string, patch: Schemas["EventTypePatch"], options: { workspace?: string } = {}): Promise<Schemas["EventTypeOut"]> {
    const ws = this.c.ws(options.workspace);
    return unwrap(
      ws
        ? this.c.api.PATCH("/v1/workspaces/{ws}/event-types/{name}", { params: { path: { ws, name } }, body: patch })
        : this.c.api.PATCH("/v1/event-types/{name}", { params: { path: { name } }, body: patch }),
    );
  }

  async delete(name: string, options: { workspace?: string } = {}): Promise<void> {
    const ws = this.c.ws(options.workspace);
    await unwrap(
      ws
        ? this.c.api.DELETE("/v1/workspaces/{ws}/event-types/{name}", { params: { path: { ws, name } } })
        : this.c.api.DELETE("/v1/event-types/{name}", { params: { path: { name } } }),
    );
  }
}

class Workspaces {
  constructor(private readonly c: Hookshape) {}

  create(ws: Schemas["WorkspaceIn"]): Promise<Schemas["WorkspaceOut"]> {
    return unwrap(this.c.api.POST("/v1/workspaces", { body: ws }));
  }

  async list(): Promise<Schemas["WorkspaceOut"][]> {
    const page = await unwrap<Page<Schemas["WorkspaceOut"]>>(this.c.api.GET("/v1/workspaces"));
    return page.data;
  }
}

class Tokens {
  constructor(private readonly c: Hookshape) {}

  /** Makes a token; its secret is in the answer, once. */
  create(token: Schemas["TokenIn"]): Promise<Schemas["TokenOut"] & Json> {
    return unwrap(this.c.api.POST("/v1/tokens", { body: token }));
  }
}
