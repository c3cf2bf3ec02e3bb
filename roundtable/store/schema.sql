-- Roundtable's PostgreSQL schema: `flask --app app store init` runs this file.
-- Every statement may run again: init creates what is missing and upgrades
-- what is old, and never drops data.
--
-- What the tables hold, and what they never hold:
--   * no column of any table is a time: the domain stores days inside its
--     documents where it needs them, nothing more;
--   * ids are random (the domain's new_id), so no id follows submission order;
--   * receipts and the digests of client ids live in rt_members, a set with
--     no id, no order and no time beside each member.

CREATE SEQUENCE IF NOT EXISTS rt_version_seq;
CREATE SEQUENCE IF NOT EXISTS rt_order_seq;

-- Settings the servers share (the schema's version; the secret key when no
-- ROUNDTABLE_SECRET_KEY is set, so that every server signs alike).
CREATE TABLE IF NOT EXISTS rt_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per thing that can change: 'documents', 'stream:<name>', 'set:<name>'.
-- Every write takes its row's lock (the stream's lock is the row's) and gives
-- it a new number from rt_version_seq, which is never reused.
CREATE TABLE IF NOT EXISTS rt_versions (
    name text PRIMARY KEY,
    n    bigint NOT NULL
);
INSERT INTO rt_versions (name, n) VALUES ('documents', nextval('rt_version_seq'))
    ON CONFLICT (name) DO NOTHING;

-- Accounts, partners, surveys, meetings, seats...: small JSON documents.
CREATE TABLE IF NOT EXISTS rt_documents (
    tbl   text   NOT NULL,
    id    text   NOT NULL CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    doc   jsonb  NOT NULL CHECK (doc ->> 'id' = id),
    place bigint NOT NULL DEFAULT nextval('rt_order_seq'),
    PRIMARY KEY (tbl, id)
);

-- Responses and ballots, one row each, in streams (one per survey or meeting).
-- `place` keeps arrival order within a stream, which a ballot stream needs (a
-- seat's last ballot counts) until the round closes and the stream is drained.
CREATE TABLE IF NOT EXISTS rt_records (
    stream text   NOT NULL CHECK (stream ~ '^[a-z][a-z0-9_-]{0,80}$'),
    id     text   NOT NULL CHECK (id ~ '^[0-9a-f]{16}$'),
    record jsonb  NOT NULL CHECK (record ->> '_id' = id),
    place  bigint NOT NULL DEFAULT nextval('rt_order_seq'),
    PRIMARY KEY (stream, id)
);
CREATE INDEX IF NOT EXISTS rt_records_order ON rt_records (stream, place);

-- Sets: receipts (keyed digests of receipt codes) and the digests of client
-- ids already stored. One row per member: a member is stored once, and a
-- submission whose digest is here is never stored twice.
CREATE TABLE IF NOT EXISTS rt_members (
    set_name text NOT NULL CHECK (set_name ~ '^[a-z][a-z0-9_-]{0,80}$'),
    member   text NOT NULL CHECK (member ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (set_name, member)
);

INSERT INTO rt_meta (key, value) VALUES ('schema_version', '1')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
