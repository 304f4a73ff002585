-- Per zone, the highest fencing token a save has carried (see migrations/postgres/0002).
CREATE TABLE zone_fences (
  zone       TEXT    PRIMARY KEY,
  token      INTEGER NOT NULL CHECK (token > 0),
  updated_at INTEGER NOT NULL
) STRICT;
