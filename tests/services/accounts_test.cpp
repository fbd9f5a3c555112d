// Accounts and login sessions: creation rules, duplicates, session lifetime, tokens kept only as hashes.
#include "core/services/accounts.hpp"

#include "core/security/crypto.hpp"
#include "tests/store/test_database.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace bdata = boost::unit_test::data;
namespace core = ensemble::core;
namespace services = ensemble::core::services;
namespace store = ensemble::core::store;
using ensemble::test::scalar;
using ensemble::test::test_database;

namespace {

services::new_user organizer(std::string email) { return {std::move(email), "  Fatima Rahman ", "organizer", "twelve chars ok"}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(accounts)

BOOST_AUTO_TEST_CASE(new_account_fields_are_checked) {
    auto errors = services::validate_new_user({"not-an-email", " ", "owner", "short"});
    for (const char* f : {"email", "name", "role", "password"}) BOOST_TEST(errors.contains(f), f);
    BOOST_TEST(services::validate_new_user({"a@b.co", "A", "admin", std::string(12, 'p')}).empty());
    BOOST_TEST(services::validate_new_user({"a@b.co", "A", "admin", std::string(11, 'p')}).contains("password"));
    BOOST_TEST(services::validate_new_user({"a@b.co", "A", "admin", std::string(1025, 'p')}).contains("password"));
    BOOST_TEST(services::validate_new_user({"a@b.co", "bad\x01name", "admin", std::string(12, 'p')}).contains("name"));
}

BOOST_DATA_TEST_CASE(create_normalises_and_refuses_a_taken_email, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    auto u = services::create_user(*c, organizer(" Fatima.Rahman@Example.ORG "), "hash-1");
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->id > 0);
    BOOST_TEST(u->email == "fatima.rahman@example.org");
    BOOST_TEST(u->name == "Fatima Rahman");
    BOOST_TEST(u->role == "organizer");
    auto again = services::create_user(*c, organizer("FATIMA.rahman@example.org"), "hash-2");
    BOOST_TEST_REQUIRE(!again.has_value());
    BOOST_TEST((again.error().code == core::errc::conflict));
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM users") == 1);
    auto invalid = services::create_user(*c, {"x", "", "guest", ""}, "h");
    BOOST_TEST_REQUIRE(!invalid.has_value());
    BOOST_TEST((invalid.error().code == core::errc::validation));

    auto login = services::find_login(*c, "  FATIMA.RAHMAN@example.org");
    BOOST_TEST_REQUIRE(login.has_value());
    BOOST_TEST(login->password_hash == "hash-1");
    BOOST_TEST((services::find_login(*c, "nobody@example.org").error().code == core::errc::not_found));
    auto disabled = *u;
    disabled.disabled = true;
    store::update_user(*c, disabled);
    BOOST_TEST((services::find_login(*c, "fatima.rahman@example.org").error().code == core::errc::not_found));
}

BOOST_DATA_TEST_CASE(sessions_open_answer_and_close, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    auto u = services::create_user(*c, organizer("fatima@example.org"), "hash");
    auto s = services::open_session(*c, *u, std::chrono::hours(12));
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(s->token.rfind(services::session_token_prefix, 0) == 0u);
    BOOST_TEST(s->token.size() == services::session_token_prefix.size() + 43);  // 256 random bits
    BOOST_TEST(s->csrf_token.size() >= 22u);
    auto hours = std::chrono::duration_cast<std::chrono::minutes>(s->expires_at - core::now()).count();
    BOOST_TEST(hours > 11 * 60);
    BOOST_TEST(hours <= 12 * 60);

    auto found = services::session_for(*c, s->token);
    BOOST_TEST_REQUIRE(found.has_value());
    BOOST_TEST(found->who.id == u->id);
    BOOST_TEST(found->who.email == "fatima@example.org");
    BOOST_TEST(found->csrf_token == s->csrf_token);

    for (const std::string& bad : {std::string(), std::string("ens_s_guess"), s->token + "x", s->token.substr(6), std::string("Bearer ") + s->token,
                                   std::string(300, 'a')}) {
        auto r = services::session_for(*c, bad);
        BOOST_TEST_REQUIRE(!r.has_value());
        BOOST_TEST((r.error().code == core::errc::unauthenticated));
    }

    auto second = services::open_session(*c, *u, std::chrono::hours(12));
    BOOST_TEST(second->token != s->token);
    BOOST_TEST(services::close_session(*c, s->token).has_value());
    BOOST_TEST((services::session_for(*c, s->token).error().code == core::errc::unauthenticated));
    BOOST_TEST(services::session_for(*c, second->token).has_value());  // other sessions live on

    auto disabled = *u;
    disabled.disabled = true;
    store::update_user(*c, disabled);
    BOOST_TEST((services::session_for(*c, second->token).error().code == core::errc::unauthenticated));
}

BOOST_DATA_TEST_CASE(expired_sessions_do_not_answer_and_are_purged, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    auto u = services::create_user(*c, organizer("fatima@example.org"), "hash");
    auto instant_expiry = services::open_session(*c, *u, std::chrono::hours(0));
    BOOST_TEST((services::session_for(*c, instant_expiry->token).error().code == core::errc::unauthenticated));
    std::string old = std::string(services::session_token_prefix) + core::random_token(32);
    store::insert_session(*c, core::sha256_hex(old), u->id, "csrf", core::now() - std::chrono::hours(13), core::now() - std::chrono::hours(1));
    BOOST_TEST((services::session_for(*c, old).error().code == core::errc::unauthenticated));
    auto live = services::open_session(*c, *u, std::chrono::hours(1));
    BOOST_TEST(store::purge_expired_sessions(*c, core::now()) == 2);
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM auth_sessions") == 1);
    BOOST_TEST(services::session_for(*c, live->token).has_value());
}

BOOST_DATA_TEST_CASE(session_tokens_are_stored_only_as_hashes, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    auto u = services::create_user(*c, organizer("fatima@example.org"), "hash");
    auto s = services::open_session(*c, *u, std::chrono::hours(12));
    soci::rowset<soci::row> rows = (c->sql.prepare << "SELECT * FROM auth_sessions");
    int n = 0;
    for (const auto& r : rows) {
        ++n;
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (r.get_indicator(i) == soci::i_null || r.get_properties(i).get_data_type() != soci::dt_string) continue;
            std::string v = r.get<std::string>(i);
            BOOST_TEST(v.find(s->token) == std::string::npos, "column " << r.get_properties(i).get_name() << " holds the token");
            BOOST_TEST(v.find(s->token.substr(6)) == std::string::npos);
        }
    }
    BOOST_TEST(n == 1);
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM auth_sessions WHERE token_hash = '" + core::sha256_hex(s->token) + "'") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
