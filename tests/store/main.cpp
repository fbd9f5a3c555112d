// The store_tests executable: migrations, the storage executor and the repositories, on SQLite and PostgreSQL.
#define BOOST_TEST_MODULE store_tests
#include <boost/test/unit_test.hpp>

#include <spdlog/spdlog.h>

// Migrations and expected storage failures log; keep warnings and errors only.
struct quiet_logs {
    quiet_logs() { spdlog::set_level(spdlog::level::warn); }
};
BOOST_TEST_GLOBAL_FIXTURE(quiet_logs);
