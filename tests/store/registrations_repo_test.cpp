// Seat counters, the active-email rule, waitlist order, idempotency keys and roster filters in SQL.
#include "core/store/registrations_repo.hpp"

#include "core/security/crypto.hpp"
#include "core/store/checkin_repo.hpp"
#include "core/store/events_repo.hpp"
#include "core/store/users_repo.hpp"
#include "tests/store/test_database.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace bdata = boost::unit_test::data;
namespace core = ensemble::core;
namespace store = ensemble::core::store;
using ensemble::test::scalar;
using ensemble::test::test_database;

namespace {

long long make_event(store::connection& c, long long in_person, long long online) {
    core::user u{0, "owner-" + core::random_token(6) + "@example.org", "Owner", "organizer", false, core::now()};
    long long owner = store::insert_user(c, u, "hash");
    core::event_spec s;
    s.title.en = "Hybrid Seminar";
    s.slug = "seminar-" + std::to_string(owner);
    s.format = "hybrid";
    s.starts_at = core::now() + std::chrono::hours(48);
    s.ends_at = s.starts_at + std::chrono::hours(2);
    s.where = core::venue{"Library", "", "", "", ""};
    s.capacity_in_person = in_person;
    s.capacity_online = online;
    s.languages = {"en"};
    return store::insert_event(c, owner, s, core::now());
}

core::registration person(long long event_id, const std::string& name, const std::string& email, core::registration_status st,
                          core::mode m = core::mode::in_person) {
    core::registration r;
    r.event_id = event_id;
    r.mode = m;
    r.status = st;
    r.name = name;
    r.email = email;
    r.email_norm = core::normalize_email(email);
    r.ticket_code = core::random_token(16);
    r.manage_token = core::random_token(24);
    r.created_at = r.updated_at = core::now();
    if (st == core::registration_status::confirmed) r.confirmed_at = r.created_at;
    return r;
}

long long add(store::connection& c, const core::registration& r) { return store::insert_registration(c, r, core::search_key(r.name, r.email)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(registrations_repo)

BOOST_DATA_TEST_CASE(seats_are_taken_only_while_some_are_left, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    long long e = make_event(*c, 2, 0);
    BOOST_TEST(store::take_seat(*c, e, core::mode::in_person));
    BOOST_TEST(store::take_seat(*c, e, core::mode::in_person));
    BOOST_TEST(!store::take_seat(*c, e, core::mode::in_person));
    BOOST_TEST(!store::take_seat(*c, e, core::mode::online));  // capacity 0
    BOOST_TEST(store::load_pool(*c, e, core::mode::in_person).taken == 2);
    store::release_seat(*c, e, core::mode::in_person);
    BOOST_TEST(store::load_pool(*c, e, core::mode::in_person).taken == 1);
    store::release_seat(*c, e, core::mode::in_person);
    store::release_seat(*c, e, core::mode::in_person);  // never below zero
    BOOST_TEST(store::load_pool(*c, e, core::mode::in_person).taken == 0);
    store::change_waitlisted(*c, e, core::mode::online, +3);
    store::change_waitlisted(*c, e, core::mode::online, -1);
    BOOST_TEST(store::load_pool(*c, e, core::mode::online).waitlisted == 2);
}

BOOST_DATA_TEST_CASE(the_schema_refuses_more_taken_than_capacity, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    long long e = make_event(*c, 1, 0);
    BOOST_TEST(store::take_seat(*c, e, core::mode::in_person));
    BOOST_CHECK_THROW(c->sql << "UPDATE seat_pools SET capacity = 0 WHERE event_id = " + std::to_string(e) + " AND mode = 'in_person'",
                      std::exception);
    BOOST_TEST(store::load_pool(*c, e, core::mode::in_person).capacity == 1);
}

BOOST_DATA_TEST_CASE(one_active_registration_per_email_and_event, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    long long e = make_event(*c, 10, 10);
    long long other = make_event(*c, 10, 10);
    long long first = add(*c, person(e, "Amina", "Amina@Example.org", core::registration_status::confirmed));
    BOOST_TEST(store::active_email_exists(*c, e, "amina@example.org"));
    BOOST_TEST(!store::active_email_exists(*c, other, "amina@example.org"));
    BOOST_TEST(add(*c, person(e, "Amina again", " amina@example.ORG", core::registration_status::waitlisted, core::mode::online)) == 0);
    BOOST_TEST(ensemble::test::scalar(*c, "SELECT COUNT(*) FROM registrations WHERE event_id = " + std::to_string(e)) == 1);
    store::set_status(*c, first, core::registration_status::cancelled, core::now());
    BOOST_TEST(!store::active_email_exists(*c, e, "amina@example.org"));
    BOOST_CHECK_NO_THROW(add(*c, person(e, "Amina", "amina@example.org", core::registration_status::confirmed)));
    BOOST_CHECK_NO_THROW(add(*c, person(other, "Amina", "amina@example.org", core::registration_status::confirmed)));
}

BOOST_DATA_TEST_CASE(tokens_are_found_by_their_keys_and_proven_by_their_hashes, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    long long e = make_event(*c, 10, 10);
    auto p = person(e, "Élodie Côté", "elodie@example.org", core::registration_status::confirmed);
    p.answers = {{"profession", "Pharmacist"}};
    p.ticket_code = core::time_ordered_token(16);
    p.manage_token = core::time_ordered_token(24);
    long long id = add(*c, p);
    auto by_manage = store::find_by_manage_token(*c, p.manage_token);
    BOOST_TEST_REQUIRE(by_manage.has_value());
    BOOST_TEST(by_manage->id == id);
    BOOST_TEST(by_manage->name == "Élodie Côté");
    BOOST_TEST(by_manage->answers["profession"] == "Pharmacist");
    BOOST_TEST(by_manage->confirmed_at.has_value());
    BOOST_TEST(!by_manage->cancelled_at.has_value());
    auto by_ticket = store::find_ticket(*c, p.ticket_code);
    BOOST_TEST_REQUIRE(by_ticket.has_value());
    BOOST_TEST(by_ticket->id == id);
    auto by_hash = store::find_ticket_by_hash(*c, e, core::sha256_hex(p.ticket_code));
    BOOST_TEST_REQUIRE(by_hash.has_value());
    BOOST_TEST(by_hash->id == id);
    BOOST_TEST(!store::find_ticket_by_hash(*c, e + 1, core::sha256_hex(p.ticket_code)).has_value());  // another event's roster

    // A second registration made in the same millisecond shares the key's time; the hash tells them apart.
    auto q = person(e, "Second Person", "second@example.org", core::registration_status::confirmed);
    q.ticket_code = p.ticket_code.substr(0, core::token_key_length) + core::random_token(16);
    q.manage_token = p.manage_token.substr(0, core::token_key_length) + core::random_token(24);
    long long second = add(*c, q);
    BOOST_TEST(store::find_by_manage_token(*c, q.manage_token)->id == second);
    BOOST_TEST(store::find_ticket(*c, q.ticket_code)->id == second);
    BOOST_TEST(store::find_by_manage_token(*c, p.manage_token)->id == id);

    // A key with the wrong rest, a guess, a prefix: nothing.
    BOOST_TEST(!store::find_by_manage_token(*c, p.manage_token.substr(0, core::token_key_length) + core::random_token(24)).has_value());
    BOOST_TEST(!store::find_by_manage_token(*c, "guess").has_value());
    BOOST_TEST(!store::find_by_manage_token(*c, p.manage_token.substr(0, core::token_key_length)).has_value());
    BOOST_TEST(!store::find_ticket(*c, p.ticket_code + "x").has_value());
    BOOST_TEST(!store::find_by_manage_token(*c, core::sha256_hex(p.manage_token)).has_value());  // the hash is not a token

    // Tokens made before time-ordered keys (random throughout) are found the same way.
    auto old = person(e, "Earlier Person", "earlier@example.org", core::registration_status::confirmed);
    old.ticket_code = core::random_token(16);
    old.manage_token = core::random_token(24);
    long long earlier = add(*c, old);
    BOOST_TEST(store::find_by_manage_token(*c, old.manage_token)->id == earlier);
    BOOST_TEST(store::find_ticket(*c, old.ticket_code)->id == earlier);
}

BOOST_DATA_TEST_CASE(a_door_link_is_read_once_per_transaction_and_forgotten_when_it_changes, bdata::make(ensemble::test::backends()),
                     backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    auto other = db.connect();
    long long e = make_event(*c, 10, 10);
    core::checkin_link l;
    l.event_id = e;
    l.label = "Door A";
    l.created_at = core::now();
    l.expires_at = core::now() + std::chrono::hours(24);
    std::string token = "ens_c_" + core::random_token(32);
    l.id = store::insert_checkin_link(*c, l, core::sha256_hex(token));

    c->begin_write();
    auto first = store::find_door_link(*c, token);
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(first->link.id == l.id);
    BOOST_TEST(first->link.label == "Door A");
    BOOST_TEST(first->event_status == "draft");
    BOOST_TEST(!first->link.revoked_at.has_value());
    BOOST_TEST(!store::find_door_link(*c, "ens_c_" + core::random_token(32)).has_value());
    // A revoke or an event status change in this transaction is seen by the next lookup in it.
    store::revoke_checkin_link(*c, l.id, core::now());
    BOOST_TEST(store::find_door_link(*c, token)->link.revoked_at.has_value());
    store::set_event_status(*c, e, "cancelled", core::now());
    BOOST_TEST(store::find_door_link(*c, token)->event_status == "cancelled");
    c->rollback();

    // A new transaction reads again: a change made through another connection is seen.
    c->begin_write();
    BOOST_TEST(!store::find_door_link(*c, token)->link.revoked_at.has_value());
    c->commit();
    other->sql << "UPDATE checkin_links SET label = 'Door B' WHERE id = " + std::to_string(l.id);
    c->begin_read();
    BOOST_TEST(store::find_door_link(*c, token)->link.label == "Door B");
    c->commit();
}

BOOST_AUTO_TEST_CASE(time_ordered_tokens_sort_as_they_were_made) {
    core::init_crypto();
    std::string previous = core::time_ordered_token(16);
    BOOST_TEST(previous.size() == core::token_key_length + 22);
    for (int i = 0; i < 2000; ++i) {
        std::string next = core::time_ordered_token(16);
        // The key ascends (the 8-bit counter may wrap within one millisecond: then it is equal or
        // smaller only in its last character).
        BOOST_TEST(next.substr(0, core::token_key_length - 2) >= previous.substr(0, core::token_key_length - 2));
        BOOST_TEST(next.substr(0, core::token_key_length).find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz") == std::string::npos);
        BOOST_TEST(next.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") == std::string::npos);
        BOOST_TEST(next.substr(core::token_key_length) != previous.substr(core::token_key_length));
        previous = next;
    }
    BOOST_TEST(core::token_key("abc") == "abc");
}

BOOST_DATA_TEST_CASE(waitlist_order_is_arrival_order_per_mode, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    long long e = make_event(*c, 1, 1);
    std::vector<long long> in_person, online;
    for (int i = 0; i < 4; ++i) {
        in_person.push_back(add(*c, person(e, "P" + std::to_string(i), "p" + std::to_string(i) + "@x.org", core::registration_status::waitlisted)));
        online.push_back(add(*c, person(e, "O" + std::to_string(i), "o" + std::to_string(i) + "@x.org", core::registration_status::waitlisted,
                                        core::mode::online)));
    }
    for (int i = 0; i < 4; ++i) {
        BOOST_TEST(store::waitlist_position(*c, e, core::mode::in_person, in_person[i]) == i + 1);
        BOOST_TEST(store::waitlist_position(*c, e, core::mode::online, online[i]) == i + 1);
    }
    BOOST_TEST(store::first_waitlisted(*c, e, core::mode::in_person, 2) == (std::vector<long long>{in_person[0], in_person[1]}));
    store::set_status(*c, in_person[1], core::registration_status::cancelled, core::now());
    BOOST_TEST(store::waitlist_position(*c, e, core::mode::in_person, in_person[2]) == 2);
    BOOST_TEST(store::waitlist_position(*c, e, core::mode::in_person, in_person[3]) == 3);
    BOOST_TEST(store::first_waitlisted(*c, e, core::mode::in_person, 10) == (std::vector<long long>{in_person[0], in_person[2], in_person[3]}));
    BOOST_TEST(store::first_waitlisted(*c, e, core::mode::in_person, 0).empty());
}

BOOST_DATA_TEST_CASE(idempotency_keys_are_scoped_and_stored_once, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto c = db.connect();
    auto t = core::now();
    store::store_idempotent(*c, "1", "key-a", {"hash-1", 201, R"({"id":1})"}, t);
    auto found = store::find_idempotent(*c, "1", "key-a");
    BOOST_TEST_REQUIRE(found.has_value());
    BOOST_TEST(found->request_hash == "hash-1");
    BOOST_TEST(found->status == 201);
    BOOST_TEST(found->body == R"({"id":1})");
    BOOST_TEST(!store::find_idempotent(*c, "2", "key-a").has_value());
    BOOST_CHECK_THROW(store::store_idempotent(*c, "1", "key-a", {"hash-2", 201, "{}"}, t), std::exception);
    BOOST_TEST(!store::claim_idempotency_key(*c, "1", "key-a", "hash-3", t));
    BOOST_TEST(store::claim_idempotency_key(*c, "1", "key-b", "hash-4", t));
    BOOST_TEST(!store::claim_idempotency_key(*c, "1", "key-b", "hash-4", t));
    store::complete_idempotent(*c, "1", "key-b", 201, R"({"id":2})");
    auto claimed = store::find_idempotent(*c, "1", "key-b");
    BOOST_TEST_REQUIRE(claimed.has_value());
    BOOST_TEST(claimed->request_hash == "hash-4");
    BOOST_TEST(claimed->status == 201);
    BOOST_TEST(claimed->body == R"({"id":2})");
    c->sql << "DELETE FROM idempotency_keys WHERE idem_key = 'key-b'";
    BOOST_TEST(store::purge_idempotency(*c, t) == 0);
    BOOST_TEST(store::purge_idempotency(*c, t + std::chrono::milliseconds(1)) == 1);
    BOOST_TEST(!store::find_idempotent(*c, "1", "key-a").has_value());
}

BOOST_DATA_TEST_CASE(roster_filters_and_counts, bdata::make(ensemble::test::backends()), backend) {
    core::init_crypto();
    test_database db(backend);
    auto c = db.connect();
    long long e = make_event(*c, 10, 10);
    long long a = add(*c, person(e, "Elodie Côté", "elodie@example.org", core::registration_status::confirmed));
    long long b = add(*c, person(e, "Zoë 100% Ng", "zoe@example.org", core::registration_status::confirmed, core::mode::online));
    long long d = add(*c, person(e, "Amir Haddad", "amir@example.org", core::registration_status::waitlisted));
    long long x = add(*c, person(e, "Gone Person", "gone@example.org", core::registration_status::cancelled));
    auto ids = [&](store::registration_filter f) {
        f.event_id = e;
        std::vector<long long> out;
        for (const auto& r : store::list_registrations(*c, f)) out.push_back(r.id);
        return out;
    };
    BOOST_TEST(ids({}) == (std::vector<long long>{a, b, d, x}));
    store::registration_filter f;
    f.status = "confirmed";
    BOOST_TEST(ids(f) == (std::vector<long long>{a, b}));
    f = {};
    f.mode = "online";
    BOOST_TEST(ids(f) == (std::vector<long long>{b}));
    f = {};
    f.query = core::fold_for_search("COTE");
    BOOST_TEST(ids(f) == (std::vector<long long>{a}));
    f.query = "100%";
    BOOST_TEST(ids(f) == (std::vector<long long>{b}));  // '%' is literal, not a wildcard
    f.query = "_";
    BOOST_TEST(ids(f).empty());
    f = {};
    f.sort = "name";
    BOOST_TEST(ids(f) == (std::vector<long long>{d, a, x, b}));  // Amir, Elodie, Gone, Zoë
    f.descending = true;
    BOOST_TEST(ids(f) == (std::vector<long long>{b, x, a, d}));

    store::erase_registration(*c, x, core::now());
    BOOST_TEST(ids({}) == (std::vector<long long>{a, b, d}));  // erased rows leave the roster
    auto counts = store::count_registrations(*c, e, core::mode::in_person);
    BOOST_TEST(counts.confirmed == 1);
    BOOST_TEST(counts.waitlisted == 1);
    BOOST_TEST(counts.cancelled == 1);  // the erased row still counts
    BOOST_TEST(store::count_registrations(*c, e, core::mode::online).confirmed == 1);
}

BOOST_AUTO_TEST_SUITE_END()
