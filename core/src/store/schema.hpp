// Internal: the SQL schema and its forward migrations. docs/schema.md documents it.
#pragma once

#include <SQLiteCpp/Database.h>

namespace baro::store {

// Brings a database at any older `user_version` (0 = empty) up to kSchemaVersion, in one
// transaction. The caller has already refused versions newer than kSchemaVersion.
void migrate(SQLite::Database& db, int from_version);

}  // namespace baro::store
