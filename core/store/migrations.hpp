// Versioned schema migrations, the same schema on SQLite and PostgreSQL.
#pragma once

#include "core/store/database.hpp"

#include <vector>

namespace ensemble::core::store {

struct migration_report {
    int from_version = 0;
    int to_version = 0;
    std::vector<int> applied;
};

// Applies every migration newer than the database's version, each in its own transaction.
// Safe to run from several instances at once on PostgreSQL (an advisory lock serialises them).
// Throws on a database error, naming the migration that failed.
migration_report migrate(connection& c);

// The newest schema version this build knows.
int latest_schema_version() noexcept;

}  // namespace ensemble::core::store
