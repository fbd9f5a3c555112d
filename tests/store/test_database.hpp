// A fresh database per test: a temporary SQLite file, or a new schema of the PostgreSQL test database
// when ENSEMBLE_TEST_PG_URL is set (scripts/test.sh starts a throw-away cluster and exports it).
#pragma once

#include "core/store/database.hpp"
#include "core/store/migrations.hpp"
#include "core/store/storage.hpp"

#include <boost/test/data/monomorphic.hpp>

#include <memory>
#include <string>
#include <vector>

namespace ensemble::test {

// "sqlite", plus "postgresql" when ENSEMBLE_TEST_PG_URL is set.
std::vector<std::string> backends();

class test_database {
public:
    // Creates an empty database of that backend; migrated when `migrate` is true.
    explicit test_database(const std::string& backend, bool migrate = true);
    ~test_database();
    test_database(const test_database&) = delete;
    test_database& operator=(const test_database&) = delete;

    const std::string& url() const noexcept { return url_; }
    const std::string& backend() const noexcept { return backend_; }
    bool is_postgres() const noexcept { return backend_ == "postgresql"; }
    // A new connection of its own (not shared with any storage).
    std::unique_ptr<core::store::connection> connect() const;
    // A storage executor over this database.
    std::unique_ptr<core::store::storage> open_storage(int postgres_writers = 4, int read_threads = 2) const;

private:
    std::string backend_;
    std::string url_;
    std::string sqlite_dir_;
    std::string pg_schema_;
};

// One integer from a query without parameters ("SELECT COUNT(*) FROM ...").
long long scalar(core::store::connection& c, const std::string& sql);

}  // namespace ensemble::test
