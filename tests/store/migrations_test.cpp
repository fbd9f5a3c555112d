// Schema migrations: applied once, idempotent, safe from several instances at once, failures named.
#include "core/store/migrations.hpp"

#include "tests/store/test_database.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <thread>

namespace bdata = boost::unit_test::data;
using ensemble::test::scalar;
using ensemble::test::test_database;
namespace store = ensemble::core::store;

namespace {

const char* tables[] = {"users", "auth_sessions", "events", "event_organizers", "seat_pools", "registrations", "idempotency_keys",
                        "outbox", "checkin_links", "checkin_log", "zoom_attendance", "audit_log", "reminder_runs", "schema_migrations"};

bool table_exists(store::connection& c, const std::string& table) {
    try {
        scalar(c, "SELECT COUNT(*) FROM " + table);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_DATA_TEST_CASE(a_fresh_database_is_migrated_to_the_latest_version, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend, false);
    auto c = db.connect();
    auto report = store::migrate(*c);
    BOOST_TEST(report.from_version == 0);
    BOOST_TEST(report.to_version == store::latest_schema_version());
    BOOST_TEST(report.applied.size() == static_cast<std::size_t>(store::latest_schema_version()));
    for (const char* t : tables) BOOST_TEST(table_exists(*c, t), t);
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM schema_migrations") == store::latest_schema_version());
}

BOOST_DATA_TEST_CASE(migrating_again_changes_nothing, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend, false);
    auto c = db.connect();
    store::migrate(*c);
    c->sql << "INSERT INTO users (email, name, role, password_hash, disabled, created_at) VALUES ('a@b.co', 'A', 'admin', 'x', 0, 1)";
    for (int i = 0; i < 3; ++i) {
        auto again = store::migrate(*c);
        BOOST_TEST(again.applied.empty());
        BOOST_TEST(again.from_version == store::latest_schema_version());
        BOOST_TEST(again.to_version == store::latest_schema_version());
    }
    auto other = db.connect();
    BOOST_TEST(store::migrate(*other).applied.empty());
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM users") == 1);
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM schema_migrations") == store::latest_schema_version());
}

BOOST_DATA_TEST_CASE(a_failed_migration_is_named_and_leaves_no_half_schema, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend, false);
    auto c = db.connect();
    c->sql << "CREATE TABLE registrations (id INTEGER)";
    try {
        store::migrate(*c);
        BOOST_FAIL("the migration should have failed on the existing table");
    } catch (const std::runtime_error& e) {
        std::string what = e.what();
        BOOST_TEST(what.find("migration 1 (initial schema) failed") != std::string::npos, what);
    }
    BOOST_TEST(!table_exists(*c, "users"));
    BOOST_TEST(!table_exists(*c, "events"));
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM schema_migrations") == 0);
}

BOOST_AUTO_TEST_CASE(instances_starting_together_on_postgresql_migrate_once) {
    if (ensemble::test::backends().size() < 2) {
        BOOST_TEST_MESSAGE("ENSEMBLE_TEST_PG_URL is not set; skipped");
        return;
    }
    for (int round = 0; round < 5; ++round) {
        test_database db("postgresql", false);
        std::vector<std::unique_ptr<store::connection>> connections;
        for (int i = 0; i < 6; ++i) connections.push_back(db.connect());
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        std::atomic<int> applied{0};
        std::string first_error;
        std::mutex m;
        for (auto& conn : connections)
            threads.emplace_back([&, c = conn.get()] {
                try {
                    applied += static_cast<int>(store::migrate(*c).applied.size());
                } catch (const std::exception& e) {
                    failures++;
                    std::lock_guard lock(m);
                    first_error = e.what();
                }
            });
        for (auto& t : threads) t.join();
        BOOST_TEST(failures.load() == 0, "round " << round << ": " << first_error);
        BOOST_TEST(applied.load() == store::latest_schema_version());
        BOOST_TEST(scalar(*connections.front(), "SELECT COUNT(*) FROM schema_migrations") == store::latest_schema_version());
    }
}

BOOST_AUTO_TEST_SUITE_END()
