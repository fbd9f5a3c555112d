// Fresh databases for storage and service tests.
#include "tests/store/test_database.hpp"

#include "core/store/row.hpp"

#include <soci/postgresql/soci-postgresql.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace ensemble::test {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

std::string unique_suffix() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

}  // namespace

std::vector<std::string> backends() {
    std::vector<std::string> out{"sqlite"};
    if (!env("ENSEMBLE_TEST_PG_URL").empty()) out.push_back("postgresql");
    return out;
}

test_database::test_database(const std::string& backend, bool migrate) : backend_(backend) {
    if (backend == "sqlite") {
        std::string tmpl = (std::filesystem::temp_directory_path() / "ensemble-test-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("cannot make a temporary directory");
        sqlite_dir_ = tmpl;
        url_ = "sqlite:" + sqlite_dir_ + "/test.db";
    } else if (backend == "postgresql") {
        // A schema of its own in the test database: as isolated as a new database, and much quicker
        // to make and drop than one (CREATE/DROP DATABASE checkpoint).
        if (env("ENSEMBLE_TEST_PG_URL").empty()) throw std::runtime_error("ENSEMBLE_TEST_PG_URL is not set");
        pg_schema_ = "ens_t_" + unique_suffix();
        std::string base = env("ENSEMBLE_TEST_PG_URL");
        soci::session admin(soci::postgresql, core::store::postgres_conninfo(base));
        admin << "CREATE SCHEMA " + pg_schema_;
        url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + pg_schema_ +
               "%20-cclient_min_messages%3Dwarning";
    } else {
        throw std::invalid_argument("unknown backend " + backend);
    }
    if (migrate) {
        auto c = connect();
        core::store::migrate(*c);
    }
}

test_database::~test_database() {
    try {
        if (!sqlite_dir_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(sqlite_dir_, ec);
        }
        if (!pg_schema_.empty()) {
            soci::session admin(soci::postgresql, core::store::postgres_conninfo(env("ENSEMBLE_TEST_PG_URL")));
            admin << "SET client_min_messages = warning";
            admin << "DROP SCHEMA IF EXISTS " + pg_schema_ + " CASCADE";
        }
    } catch (const std::exception&) {
    }
}

std::unique_ptr<core::store::connection> test_database::connect() const {
    return std::make_unique<core::store::connection>(core::store::parse_database_url(url_), core::store::sqlite_tuning{});
}

std::unique_ptr<core::store::storage> test_database::open_storage(int postgres_writers, int read_threads) const {
    core::store::storage_options o;
    o.url = url_;
    o.postgres_writers = postgres_writers;
    o.read_threads = read_threads;
    return std::make_unique<core::store::storage>(o);
}

long long scalar(core::store::connection& c, const std::string& sql) {
    soci::row r;
    c.sql << sql, soci::into(r);
    return core::store::as_int(r, 0);
}

}  // namespace ensemble::test
