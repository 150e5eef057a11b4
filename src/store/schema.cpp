// The migrations of state.db. docs/store.md explains every table and column; keep it in step.
//
// Rules for new steps: append, never edit a released step (files in the field have run it);
// one step = one transaction, so it may create, copy and drop freely; no BEGIN/COMMIT inside.
#include <array>

#include "cf/store/migration.hpp"

namespace cf::store {
namespace {

// Schema v1: everything the foundation needs now and what the pinning engine and the CRDT sync
// will fill later, so those issues add code, not tables.
constexpr std::string_view schema_v1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE template_cache (
  source        TEXT PRIMARY KEY NOT NULL,
  body          TEXT NOT NULL,
  fetched_at    INTEGER NOT NULL,
  etag          TEXT,
  last_modified TEXT
) STRICT;

CREATE TABLE pins (
  cid             BLOB PRIMARY KEY NOT NULL,
  cid_text        TEXT NOT NULL,
  type            TEXT NOT NULL
                  CHECK (type IN ('pin', 'meta-pin', 'clusterdag-pin', 'shard-pin')),
  max_depth       INTEGER NOT NULL DEFAULT -1 CHECK (max_depth >= -1),
  name            TEXT NOT NULL DEFAULT '',
  allocations     TEXT NOT NULL DEFAULT '[]'
                  CHECK (json_valid(allocations) AND json_type(allocations) = 'array'),
  replication_min INTEGER NOT NULL DEFAULT -1,
  replication_max INTEGER NOT NULL DEFAULT -1,
  reference       BLOB,
  shard_size      INTEGER NOT NULL DEFAULT 0,
  origins         TEXT NOT NULL DEFAULT '[]'
                  CHECK (json_valid(origins) AND json_type(origins) = 'array'),
  metadata        TEXT NOT NULL DEFAULT '{}'
                  CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
  update_from     BLOB,
  expire_at       INTEGER,
  timestamp       INTEGER,
  updated_at      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE pin_status (
  cid           BLOB PRIMARY KEY NOT NULL,
  status        TEXT NOT NULL CHECK (status IN (
                  'undefined', 'cluster_error', 'pin_error', 'unpin_error', 'pinned',
                  'pinning', 'unpinning', 'unpinned', 'remote', 'pin_queued',
                  'unpin_queued', 'sharded', 'unexpectedly_unpinned')),
  error         TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_retry_at INTEGER,
  ownership     TEXT NOT NULL DEFAULT 'none'
                CHECK (ownership IN ('none', 'ours', 'preexisting')),
  pinned_depth  INTEGER,
  updated_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX pin_status_by_status ON pin_status (status);
CREATE INDEX pin_status_by_retry ON pin_status (next_retry_at) WHERE next_retry_at IS NOT NULL;

CREATE TABLE crdt_heads (
  block   BLOB PRIMARY KEY NOT NULL,
  cid     BLOB NOT NULL,
  height  INTEGER NOT NULL CHECK (height >= 0),
  seen_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE crdt_frontier (
  block           BLOB PRIMARY KEY NOT NULL,
  cid             BLOB NOT NULL,
  priority        INTEGER NOT NULL DEFAULT 0 CHECK (priority >= 0),
  depth           INTEGER NOT NULL DEFAULT 0 CHECK (depth >= 0),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  added_at        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX crdt_frontier_by_due ON crdt_frontier (next_attempt_at, priority DESC);

CREATE TABLE crdt_processed (
  block    BLOB PRIMARY KEY NOT NULL,
  priority INTEGER NOT NULL CHECK (priority >= 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE crdt_elements (
  key      TEXT NOT NULL,
  block    BLOB NOT NULL,
  priority INTEGER NOT NULL CHECK (priority >= 0),
  value    BLOB NOT NULL,
  PRIMARY KEY (key, block)
) STRICT, WITHOUT ROWID;

CREATE TABLE crdt_tombstones (
  key   TEXT NOT NULL,
  block BLOB NOT NULL,
  PRIMARY KEY (key, block)
) STRICT, WITHOUT ROWID;

CREATE TABLE counters (
  name  TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO counters (name, value) VALUES
  ('pins', 0), ('crdt_frontier', 0), ('crdt_processed', 0),
  ('pin_status:undefined', 0), ('pin_status:cluster_error', 0), ('pin_status:pin_error', 0),
  ('pin_status:unpin_error', 0), ('pin_status:pinned', 0), ('pin_status:pinning', 0),
  ('pin_status:unpinning', 0), ('pin_status:unpinned', 0), ('pin_status:remote', 0),
  ('pin_status:pin_queued', 0), ('pin_status:unpin_queued', 0), ('pin_status:sharded', 0),
  ('pin_status:unexpectedly_unpinned', 0);

CREATE TRIGGER pins_count_insert AFTER INSERT ON pins BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'pins';
END;
CREATE TRIGGER pins_count_delete AFTER DELETE ON pins BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'pins';
END;

CREATE TRIGGER crdt_frontier_count_insert AFTER INSERT ON crdt_frontier BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'crdt_frontier';
END;
CREATE TRIGGER crdt_frontier_count_delete AFTER DELETE ON crdt_frontier BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'crdt_frontier';
END;

CREATE TRIGGER crdt_processed_count_insert AFTER INSERT ON crdt_processed BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'crdt_processed';
END;
CREATE TRIGGER crdt_processed_count_delete AFTER DELETE ON crdt_processed BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'crdt_processed';
END;

CREATE TRIGGER pin_status_count_insert AFTER INSERT ON pin_status BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'pin_status:' || NEW.status;
END;
CREATE TRIGGER pin_status_count_delete AFTER DELETE ON pin_status BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'pin_status:' || OLD.status;
END;
CREATE TRIGGER pin_status_count_update AFTER UPDATE OF status ON pin_status
WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'pin_status:' || OLD.status;
  UPDATE counters SET value = value + 1 WHERE name = 'pin_status:' || NEW.status;
END;
)sql";

// Schema v2: what the CRDT sync needs beyond v1: the raw blocks of merged nodes (served to
// other followers over bitswap), the journal of keys whose value changed and whose change the
// pinset has not taken yet (crdt_pending), and counters for `status`. Counters are seeded from the rows a
// v1 file may already hold, so an upgraded file counts right from the start.
constexpr std::string_view schema_v2 = R"sql(
CREATE TABLE crdt_blocks (
  block BLOB PRIMARY KEY NOT NULL,
  data  BLOB NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE crdt_pending (
  key TEXT PRIMARY KEY NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO counters (name, value) VALUES
  ('crdt_blocks', 0), ('crdt_block_bytes', 0),
  ('crdt_heads', (SELECT count(*) FROM crdt_heads)),
  ('crdt_max_height', (SELECT coalesce(max(priority), 0) FROM crdt_processed)),
  ('crdt_frontier_failing', (SELECT count(*) FROM crdt_frontier WHERE attempts > 0));

CREATE TRIGGER crdt_blocks_count_insert AFTER INSERT ON crdt_blocks BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'crdt_blocks';
  UPDATE counters SET value = value + length(NEW.data) WHERE name = 'crdt_block_bytes';
END;
CREATE TRIGGER crdt_blocks_count_delete AFTER DELETE ON crdt_blocks BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'crdt_blocks';
  UPDATE counters SET value = value - length(OLD.data) WHERE name = 'crdt_block_bytes';
END;
CREATE TRIGGER crdt_blocks_count_update AFTER UPDATE OF data ON crdt_blocks BEGIN
  UPDATE counters SET value = value - length(OLD.data) + length(NEW.data)
  WHERE name = 'crdt_block_bytes';
END;

CREATE TRIGGER crdt_heads_count_insert AFTER INSERT ON crdt_heads BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'crdt_heads';
END;
CREATE TRIGGER crdt_heads_count_delete AFTER DELETE ON crdt_heads BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'crdt_heads';
END;

CREATE TRIGGER crdt_frontier_failing_insert AFTER INSERT ON crdt_frontier
WHEN NEW.attempts > 0 BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'crdt_frontier_failing';
END;
CREATE TRIGGER crdt_frontier_failing_delete AFTER DELETE ON crdt_frontier
WHEN OLD.attempts > 0 BEGIN
  UPDATE counters SET value = value - 1 WHERE name = 'crdt_frontier_failing';
END;
CREATE TRIGGER crdt_frontier_failing_update AFTER UPDATE OF attempts ON crdt_frontier
WHEN (OLD.attempts > 0) IS NOT (NEW.attempts > 0) BEGIN
  UPDATE counters SET value = value + (CASE WHEN NEW.attempts > 0 THEN 1 ELSE -1 END)
  WHERE name = 'crdt_frontier_failing';
END;
)sql";

constexpr std::array<Migration, 2> migrations{{
    {1, "initial schema", schema_v1},
    {2, "crdt blocks and counters", schema_v2},
}};

}  // namespace

std::span<const Migration> schema_migrations() { return migrations; }

int supported_schema_version() { return migrations.back().version; }

}  // namespace cf::store
