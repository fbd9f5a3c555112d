// A fresh, migrated database per test: a temporary SQLite file, or a new PostgreSQL database when
// ENSEMBLE_TEST_PG_URL is set (scripts/test.sh starts a throw-away cluster and exports it).
#pragma once

#include "core/store/storage.hpp"

#include <memory>
#include <string>
#include <vector>

namespace ensemble::test {

// "sqlite", plus "postgresql" when ENSEMBLE_TEST_PG_URL is set.
std::vector<std::string> delivery_backends();

class temp_database {
public:
    explicit temp_database(const std::string& backend);
    ~temp_database();
    temp_database(const temp_database&) = delete;
    temp_database& operator=(const temp_database&) = delete;

    std::unique_ptr<core::store::storage> open() const;
    std::unique_ptr<core::store::connection> connect() const;
    const std::string& url() const noexcept { return url_; }

private:
    std::string backend_;
    std::string url_;
    std::string dir_;
    std::string pg_name_;
};

}  // namespace ensemble::test
