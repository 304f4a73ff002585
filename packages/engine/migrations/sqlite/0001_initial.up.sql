-- The embedded store's schema (better-sqlite3), the same tables as migrations/postgres/. The
-- embedded store migrates itself when it opens.

CREATE TABLE accounts (
  username      TEXT    PRIMARY KEY,
  password_hash TEXT    NOT NULL,
  roles         TEXT    NOT NULL DEFAULT '[]',
  created_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX accounts_username_lower ON accounts (lower(username));

CREATE TABLE sessions (
  token_hash TEXT    PRIMARY KEY,
  username   TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE characters (
  username   TEXT    PRIMARY KEY,
  version    INTEGER NOT NULL CHECK (version > 0),
  data       TEXT    NOT NULL,
  writer     TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE world_state (
  key        TEXT    PRIMARY KEY,
  version    INTEGER NOT NULL CHECK (version > 0),
  data       TEXT    NOT NULL,
  writer     TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
