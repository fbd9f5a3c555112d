// Creating and dropping the per-test databases.
#include "tests/integrations/temp_database.hpp"

#include "core/security/crypto.hpp"
#include "core/store/migrations.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>

namespace ensemble::test {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string with_database(const std::string& url, const std::string& name) {
    auto q = url.find('?');
    std::string base = url.substr(0, q);
    std::string query = q == std::string::npos ? "" : url.substr(q);
    return base.substr(0, base.rfind('/') + 1) + name + query;
}

std::string admin_url() {
    std::string admin = env("ENSEMBLE_TEST_PG_ADMIN");
    return admin.empty() ? with_database(env("ENSEMBLE_TEST_PG_URL"), "postgres") : admin;
}

}  // namespace

std::vector<std::string> delivery_backends() {
    std::vector<std::string> out{"sqlite"};
    if (!env("ENSEMBLE_TEST_PG_URL").empty()) out.push_back("postgresql");
    return out;
}

temp_database::temp_database(const std::string& backend) : backend_(backend) {
    spdlog::set_level(spdlog::level::off);
    core::init_crypto();
    if (backend == "postgresql") {
        pg_name_ = "ens_deliv_" + core::to_hex(core::random_token(6)).substr(0, 12);
        soci::session admin(soci::postgresql, core::store::postgres_conninfo(admin_url()));
        admin << "CREATE DATABASE " + pg_name_;
        url_ = with_database(env("ENSEMBLE_TEST_PG_URL"), pg_name_);
    } else {
        auto dir = std::filesystem::temp_directory_path() / ("ensemble-delivery-" + core::random_token(6));
        std::filesystem::create_directories(dir);
        dir_ = dir.string();
        url_ = "sqlite:" + (dir / "t.db").string();
    }
    auto c = connect();
    core::store::migrate(*c);
}

temp_database::~temp_database() {
    if (!pg_name_.empty()) {
        try {
            soci::session admin(soci::postgresql, core::store::postgres_conninfo(admin_url()));
            admin << "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)";
        } catch (const std::exception&) {
        }
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

std::unique_ptr<core::store::storage> temp_database::open() const {
    core::store::storage_options o;
    o.url = url_;
    o.read_threads = 1;
    o.postgres_writers = 2;
    return std::make_unique<core::store::storage>(o);
}

std::unique_ptr<core::store::connection> temp_database::connect() const {
    return std::make_unique<core::store::connection>(core::store::parse_database_url(url_), core::store::sqlite_tuning{});
}

}  // namespace ensemble::test
