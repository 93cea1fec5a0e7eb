//! The database schema, as numbered forward-only migrations. A database is brought up to the
//! newest at start, under an advisory lock so that nodes starting together apply each once;
//! a database newer than this binary is refused.

/// Migrations in order; the version of each is its position, from 1. Never edit one that
/// has shipped: add another.
pub const MIGRATIONS: &[&str] = &[
    // 1: every record as JSON bytes (bodies keep their key order), with the columns queries
    // need beside them. Keys sort bytewise ("C") as the embedded engine's do.
    r#"
    CREATE TABLE meta (name text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE workspaces (id text COLLATE "C" PRIMARY KEY, body bytea NOT NULL);
    CREATE TABLE tokens (
        hash text PRIMARY KEY,
        id text NOT NULL UNIQUE,
        body bytea NOT NULL
    );
    CREATE TABLE plugins (id text PRIMARY KEY, body bytea NOT NULL, wasm bytea NOT NULL);
    CREATE TABLE workspace_plugins (
        workspace text COLLATE "C" NOT NULL,
        plugin text COLLATE "C" NOT NULL,
        body bytea NOT NULL,
        PRIMARY KEY (workspace, plugin)
    );
    CREATE INDEX workspace_plugins_plugin ON workspace_plugins (plugin);
    CREATE TABLE subscriptions (
        id text COLLATE "C" PRIMARY KEY,
        workspace text COLLATE "C" NOT NULL,
        etag text NOT NULL,
        body bytea NOT NULL
    );
    CREATE INDEX subscriptions_workspace ON subscriptions (workspace, id);
    CREATE TABLE catalog (
        workspace text COLLATE "C" NOT NULL,
        name text COLLATE "C" NOT NULL,
        body bytea NOT NULL,
        PRIMARY KEY (workspace, name)
    );
    CREATE TABLE events (
        key text COLLATE "C" PRIMARY KEY,
        received_ms bigint NOT NULL,
        body bytea NOT NULL
    );
    CREATE INDEX events_received ON events (received_ms, key);
    CREATE TABLE deliveries (
        id text COLLATE "C" PRIMARY KEY,
        subscription_id text COLLATE "C" NOT NULL,
        status text NOT NULL,
        due_ms bigint,
        lease_until bigint,
        lease_owner text,
        body bytea NOT NULL
    );
    CREATE INDEX deliveries_subscription ON deliveries (subscription_id, id);
    CREATE INDEX deliveries_due ON deliveries (subscription_id, due_ms, id)
        WHERE due_ms IS NOT NULL;
    CREATE INDEX deliveries_leased ON deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
    CREATE TABLE event_deliveries (
        event_key text COLLATE "C" NOT NULL,
        delivery_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (event_key, delivery_id)
    );
    CREATE INDEX event_deliveries_delivery ON event_deliveries (delivery_id);
    CREATE TABLE attempts (
        delivery_id text COLLATE "C" NOT NULL,
        number integer NOT NULL,
        body bytea NOT NULL,
        PRIMARY KEY (delivery_id, number)
    );
    CREATE TABLE open_batches (
        subscription_id text COLLATE "C" PRIMARY KEY,
        delivery_id text NOT NULL
    );
    "#,
    // 2: object snapshots, the last published version of each object (key: workspace, object
    // type and id), for events published without `previous`.
    r#"
    CREATE TABLE snapshots (
        key text COLLATE "C" PRIMARY KEY,
        at_ms bigint NOT NULL,
        body bytea NOT NULL
    );
    CREATE INDEX snapshots_at ON snapshots (at_ms);
    "#,
    // 3: lists filtered by status read a page, not every delivery of the subscription.
    r#"
    CREATE INDEX deliveries_status ON deliveries (subscription_id, status, id);
    "#,
    // 4: per-key ordering decided in the database, whichever node published or claims: a
    // delivery's key beside it, and a sequence the database assigns at insert (ids are made
    // on each node; two nodes' ids of one millisecond may sort either way). Rows from before
    // have no number and come first, among themselves by id.
    r#"
    ALTER TABLE deliveries ADD COLUMN ordering_key text COLLATE "C", ADD COLUMN seq bigint;
    CREATE SEQUENCE deliveries_seq OWNED BY deliveries.seq;
    ALTER TABLE deliveries ALTER COLUMN seq SET DEFAULT nextval('deliveries_seq');
    UPDATE deliveries SET ordering_key = convert_from(body, 'UTF8')::jsonb ->> 'orderingKey'
        WHERE status = 'pending';
    CREATE INDEX deliveries_key_order ON deliveries (subscription_id, ordering_key, seq, id)
        WHERE status = 'pending' AND ordering_key IS NOT NULL;
    "#,
];
