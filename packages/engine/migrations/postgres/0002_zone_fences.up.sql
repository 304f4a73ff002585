-- Per zone, the highest fencing token a save has carried. A node writes a zone's entities under
-- the token of its lease on the zone (Redis, see docs/cluster.md); a save with a lower token comes
-- from a node that has lost the zone to another, and is refused. Single-node servers never write
-- here.
CREATE TABLE zone_fences (
  zone       text        PRIMARY KEY,
  token      bigint      NOT NULL CHECK (token > 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
