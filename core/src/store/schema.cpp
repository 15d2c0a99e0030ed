#include "store/schema.hpp"

#include <SQLiteCpp/Transaction.h>

#include <string>

#include "baro/store.hpp"

namespace baro::store {
namespace {

// Version 1 first. Each later version appends one string of statements; never edit a past one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE departments (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  region_code TEXT
);
CREATE TABLE communes (
  code        TEXT PRIMARY KEY,          -- INSEE code of a current commune (5 chars, 2A/2B for Corsica)
  name        TEXT NOT NULL,
  name_key    TEXT NOT NULL,             -- folded name, for resolution by name + department
  department  TEXT NOT NULL,
  region      TEXT,
  zone        TEXT,                      -- metro, drom, com
  population  INTEGER,                   -- municipal population of the reference vintage
  epci_siren  TEXT,
  rural       INTEGER CHECK (rural IN (0, 1))  -- imported attribute; NULL: decided by population
);
CREATE INDEX communes_by_name ON communes (name_key, department);
CREATE TABLE commune_aliases (            -- old codes, delegated/associated communes, arrondissements
  code         TEXT NOT NULL,
  commune_code TEXT NOT NULL REFERENCES communes (code),
  kind         TEXT NOT NULL,
  PRIMARY KEY (code, commune_code)
) WITHOUT ROWID;
CREATE TABLE reference_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE batches (
  id             INTEGER PRIMARY KEY,
  source         TEXT NOT NULL,
  content_hash   TEXT NOT NULL UNIQUE,
  format         TEXT NOT NULL,
  encoding       TEXT NOT NULL,
  delimiter      TEXT,
  line_endings   TEXT,
  column_map     TEXT NOT NULL,           -- JSON: field -> column name
  records        INTEGER NOT NULL,
  imported       INTEGER NOT NULL,
  rejected       INTEGER NOT NULL,
  imported_at    TEXT NOT NULL
);
CREATE TABLE initiatives (
  id           INTEGER PRIMARY KEY,
  batch_id     INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  record_no    INTEGER NOT NULL,
  line         INTEGER NOT NULL,
  source_id    TEXT NOT NULL,
  commune_code TEXT NOT NULL REFERENCES communes (code),
  title        TEXT,
  description  TEXT NOT NULL,
  year         INTEGER,
  rural        INTEGER CHECK (rural IN (0, 1)),
  extra        TEXT,                      -- JSON object of the other columns, verbatim
  UNIQUE (batch_id, source_id)
);
CREATE INDEX initiatives_by_commune ON initiatives (commune_code);
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  ruleset_id      TEXT NOT NULL,
  ruleset_version TEXT NOT NULL,
  ruleset_hash    TEXT NOT NULL,
  classifiers     TEXT NOT NULL,          -- JSON array of {"name", "version"}
  engine_version  TEXT NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE TABLE run_domains (
  run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  domain   TEXT NOT NULL,
  label    TEXT NOT NULL,
  PRIMARY KEY (run_id, domain)
) WITHOUT ROWID;
CREATE TABLE classifications (
  run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  primary_domain TEXT,                    -- NULL: unclassified
  PRIMARY KEY (run_id, initiative_id)
) WITHOUT ROWID;
CREATE INDEX classifications_by_initiative ON classifications (initiative_id);
CREATE TABLE labels (
  run_id        INTEGER NOT NULL,
  initiative_id INTEGER NOT NULL,
  domain        TEXT NOT NULL,
  score         REAL NOT NULL,
  rules         TEXT NOT NULL,            -- space-separated ids of the rules that fired for it
  PRIMARY KEY (run_id, initiative_id, domain),
  FOREIGN KEY (run_id, initiative_id) REFERENCES classifications (run_id, initiative_id) ON DELETE CASCADE
) WITHOUT ROWID;
)sql",
    // Version 2: runs describe themselves, and their ids are never reused.
    //  - classifications.classifier: which classifier of the run's chain decided (older runs
    //    had only the rules engine);
    //  - run_rules: every rule of the run's rule set, so that `baro rules stats` can name the
    //    rules that never fired and weigh the ones that did without the rule files at hand;
    //  - classifications.vetoed: the rules an `unless` vetoed;
    //  - run_ids: the largest deleted run id, so that a new run never takes it again.
    R"sql(
ALTER TABLE classifications ADD COLUMN classifier TEXT;  -- NULL: no classifier found a domain
UPDATE classifications SET classifier = 'rules' WHERE primary_domain IS NOT NULL;
CREATE TABLE run_rules (
  run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,              -- order in the rule set
  rule_id  TEXT NOT NULL,
  domain   TEXT NOT NULL,
  weight   REAL NOT NULL,
  PRIMARY KEY (run_id, rule_id)
) WITHOUT ROWID;
ALTER TABLE classifications ADD COLUMN vetoed TEXT;  -- space-separated rule ids; NULL in runs made before version 2
-- Run ids are never reused (a diff pasted in a pull request names runs by id), but a rowid
-- is max + 1: deleting the latest run would hand its id to the next. New runs take an id
-- above both the largest live id and the largest deleted one.
CREATE TABLE run_ids (
  last_deleted INTEGER NOT NULL
);
INSERT INTO run_ids (last_deleted) VALUES (0);
CREATE TRIGGER runs_keep_deleted_ids AFTER DELETE ON runs BEGIN
  UPDATE run_ids SET last_deleted = max(last_deleted, OLD.id);
END;
)sql",
    // Version 3: a run's validation sample (`baro sample`, `baro validate`): how it was drawn,
    // each stratum's size and draws (the inclusion probabilities the corrected shares need),
    // the initiatives drawn and the codes people gave them.
    R"sql(
CREATE TABLE validation_samples (
  run_id         INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  seed           TEXT NOT NULL,           -- the unsigned 64-bit seed, in decimal
  requested_size INTEGER NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE TABLE validation_strata (
  run_id      INTEGER NOT NULL REFERENCES validation_samples (run_id) ON DELETE CASCADE,
  predicted   TEXT NOT NULL,              -- the stratum's primary domain; '' for unclassified
  initiatives INTEGER NOT NULL,           -- N_h: the run's initiatives in the stratum
  sampled     INTEGER NOT NULL,           -- n_h: drawn from it (inclusion probability n_h / N_h)
  PRIMARY KEY (run_id, predicted)
) WITHOUT ROWID;
CREATE TABLE validation_items (
  run_id        INTEGER NOT NULL REFERENCES validation_samples (run_id) ON DELETE CASCADE,
  initiative_id INTEGER NOT NULL,
  gold          TEXT,                     -- NULL: not coded yet; '': no domain fits
  gold_2        TEXT,                     -- a second coder's code, same convention
  also          TEXT,                     -- space-separated domain ids
  PRIMARY KEY (run_id, initiative_id),
  FOREIGN KEY (run_id, initiative_id) REFERENCES classifications (run_id, initiative_id) ON DELETE CASCADE
) WITHOUT ROWID;
)sql",
    // Version 4: what a row may say for a commune besides its current INSEE code, so that a code
    // and a name on the same row can be checked against each other (issue 16):
    //  - commune_other_names: names of municipal arrondissements and of delegated and
    //    associated communes (former communes of a commune nouvelle), with the current
    //    commune each stands for;
    //  - commune_postal_codes: La Poste's codes of every commune and arrondissement. A postal
    //    code is often another commune's INSEE code (69003 is Albigny-sur-Saône's INSEE code
    //    and a postal code of Lyon 3e Arrondissement): the classic error of French files.
    // Both are filled by `baro init` (Store::load_reference); a database migrated from an earlier version
    // has them empty until `baro init` is run on it again, and resolves as before meanwhile.
    R"sql(
CREATE TABLE commune_other_names (
  -- The key's columns first: SQLite 3.40's integrity_check misreads the other NOT NULL
  -- columns of a WITHOUT ROWID table whose key is declared out of order ("NULL value in …").
  name_key     TEXT NOT NULL,             -- folded, as communes.name_key
  code         TEXT NOT NULL,             -- the INSEE code of the arrondissement or former commune
  kind         TEXT NOT NULL,             -- arrondissement-municipal, commune-deleguee, commune-associee
  name         TEXT NOT NULL,
  commune_code TEXT NOT NULL REFERENCES communes (code),
  PRIMARY KEY (name_key, code, kind)
) WITHOUT ROWID;
CREATE TABLE commune_postal_codes (
  postal_code  TEXT NOT NULL,
  code         TEXT NOT NULL,             -- a current commune's or an arrondissement's INSEE code
  commune_code TEXT NOT NULL REFERENCES communes (code),
  PRIMARY KEY (postal_code, code)
) WITHOUT ROWID;
)sql",
};

}  // namespace

void migrate(SQLite::Database& db, int from_version) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  for (int v = from_version; v < kSchemaVersion; ++v) db.exec(kMigrations[v]);
  db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  transaction.commit();
}

}  // namespace baro::store
