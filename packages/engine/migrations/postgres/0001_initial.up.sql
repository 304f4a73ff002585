-- Accounts, sessions, characters and world state. Applied by `leviathan migrate up` (or when a
-- postgres store opens) under an advisory lock, inside one transaction.

CREATE TABLE accounts (
  username      text        PRIMARY KEY,
  password_hash text        NOT NULL,
  roles         text[]      NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Names are unique without regard to case: `Alice` and `alice` are one account.
CREATE UNIQUE INDEX accounts_username_lower ON accounts (lower(username));

CREATE TABLE sessions (
  token_hash text        PRIMARY KEY,
  username   text        NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- One JSON document per character (location, inventory, stats, game fields), versioned for
-- optimistic concurrency. `json`, not `jsonb`: the store never queries inside the document, and
-- jsonb refuses the escape \u0000 (a NUL a player can type into chat), which would make that
-- character unsaveable; json keeps the text as written and costs less to write. Not a foreign key to accounts: development and HMAC tokens have players
-- without accounts.
CREATE TABLE characters (
  username   text        PRIMARY KEY,
  version    bigint      NOT NULL CHECK (version > 0),
  data       json        NOT NULL,
  writer     text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- World changes (items in rooms, doors, ...), keyed by the game, e.g. `room:town/square`.
CREATE TABLE world_state (
  key        text        PRIMARY KEY,
  version    bigint      NOT NULL CHECK (version > 0),
  data       json        NOT NULL,
  writer     text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
