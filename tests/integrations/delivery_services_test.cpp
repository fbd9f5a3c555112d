// The delivery use cases over SQLite and PostgreSQL: reminders, Zoom results, attendance, the
// organizer's outbox view and retries, claims per channel.
#include "core/services/delivery.hpp"

#include "core/domain/registration.hpp"
#include "core/security/crypto.hpp"
#include "core/services/accounts.hpp"
#include "core/store/delivery_repo.hpp"
#include "core/store/events_repo.hpp"
#include "core/store/outbox_repo.hpp"
#include "core/store/registrations_repo.hpp"
#include "tests/integrations/temp_database.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace core = ensemble::core;
namespace store = ensemble::core::store;
namespace services = ensemble::core::services;
namespace bdata = boost::unit_test::data;
using ensemble::test::delivery_backends;
using ensemble::test::temp_database;
using namespace std::chrono_literals;

namespace {

long long count(store::connection& c, const std::string& sql) {
    long long n = 0;
    c.sql << sql, soci::into(n);
    return n;
}

long long user(store::connection& c, const std::string& email, const std::string& role) {
    auto u = services::create_user(c, {email, "Someone", role, "a long enough password"}, "hash");
    BOOST_REQUIRE(u.has_value());
    return u->id;
}

long long event(store::connection& c, long long owner, core::instant starts, const std::string& provider = "zoom") {
    core::event_spec s;
    s.slug = "e-" + core::to_hex(core::random_token(6));
    s.languages = {"en", "fr"};
    s.title = {"Summit", "Sommet"};
    s.format = "hybrid";
    s.starts_at = starts;
    s.ends_at = starts + 2h;
    s.where = core::venue{"Hall", "1 Main St", "Toronto", "ON", "M1M 1M1"};
    s.capacity_in_person = 10;
    s.capacity_online = 10;
    s.online.provider = provider;
    long long id = store::insert_event(c, owner, s, core::now());
    store::set_event_status(c, id, "published", core::now());
    return id;
}

long long registration(store::connection& c, long long event_id, const std::string& email, core::mode m,
                       core::registration_status st = core::registration_status::confirmed) {
    core::registration r;
    r.event_id = event_id;
    r.mode = m;
    r.status = st;
    r.name = "Ada Lovelace";
    r.email = email;
    r.email_norm = core::normalize_email(email);
    r.ticket_code = core::random_token(16);
    r.manage_token = core::random_token(24);
    r.created_at = r.updated_at = core::now();
    return store::insert_registration(c, r, core::search_key(r.name, r.email));
}

long long message(store::connection& c, const char* kind, long long event_id, long long reg_id, core::instant due = core::now()) {
    core::outbox_message m;
    m.kind = kind;
    m.event_id = event_id;
    m.registration_id = reg_id;
    m.recipient = "x@example.org";
    m.payload = {{"registration_id", reg_id}, {"event_id", event_id}};
    m.next_attempt_at = due;
    m.created_at = core::now();
    store::enqueue(c, m);
    return count(c, "SELECT MAX(id) FROM outbox");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(delivery_services)

BOOST_DATA_TEST_CASE(reminders_are_planned_once_for_the_nearest_due_offset, bdata::make(delivery_backends()), backend) {
    temp_database db(backend);
    auto c = db.connect();
    long long owner = user(*c, "o@example.org", "organizer");
    auto at = core::now();
    long long soon = event(*c, owner, at + 30min, "none");
    long long tomorrow = event(*c, owner, at + 3h, "none");
    long long far = event(*c, owner, at + 72h, "none");
    registration(*c, soon, "a@example.org", core::mode::in_person);
    registration(*c, soon, "b@example.org", core::mode::online);
    registration(*c, soon, "w@example.org", core::mode::online, core::registration_status::waitlisted);
    registration(*c, tomorrow, "c@example.org", core::mode::in_person);
    registration(*c, far, "d@example.org", core::mode::in_person);
    BOOST_TEST(services::plan_reminders(*c, {1440, 60}, at) == 3);
    BOOST_TEST(services::plan_reminders(*c, {1440, 60}, at + 1s) == 0);  // each run once
    BOOST_TEST(count(*c, "SELECT COUNT(*) FROM outbox WHERE kind = 'email.reminder' AND event_id = " + std::to_string(soon)) == 2);
    BOOST_TEST(count(*c, "SELECT messages FROM reminder_runs WHERE minutes_before = 1440 AND event_id = " + std::to_string(soon)) == 0);
    BOOST_TEST(count(*c, "SELECT messages FROM reminder_runs WHERE minutes_before = 60 AND event_id = " + std::to_string(soon)) == 2);
    BOOST_TEST(count(*c, "SELECT COUNT(*) FROM reminder_runs WHERE event_id = " + std::to_string(tomorrow)) == 1);
    BOOST_TEST(count(*c, "SELECT COUNT(*) FROM reminder_runs WHERE event_id = " + std::to_string(far)) == 0);
    // Two hours later the one-hour reminder of the second event comes due.
    BOOST_TEST(services::plan_reminders(*c, {1440, 60}, at + 2h + 1min) == 1);
}

BOOST_DATA_TEST_CASE(a_join_link_email_follows_only_a_confirmation_already_sent, bdata::make(delivery_backends()), backend) {
    temp_database db(backend);
    auto c = db.connect();
    long long e = event(*c, user(*c, "o@example.org", "organizer"), core::now() + 48h);
    long long r = registration(*c, e, "a@example.org", core::mode::online);
    long long confirmation = message(*c, core::message_kind::confirmation, e, r);
    BOOST_TEST(!services::record_zoom_registrant(*c, r, "reg-1", "https://zoom.example/w/1"));  // still pending: rendered with the link
    BOOST_TEST(store::find_registration(*c, r)->join_url == "https://zoom.example/w/1");
    store::mark_sent(*c, confirmation, core::now());
    BOOST_TEST(services::record_zoom_registrant(*c, r, "reg-2", "https://zoom.example/w/2"));
    BOOST_TEST(!services::record_zoom_registrant(*c, r, "reg-2", "https://zoom.example/w/2"));  // deduplicated
    BOOST_TEST(count(*c, "SELECT COUNT(*) FROM outbox WHERE kind = 'email.join_link'") == 1);
    long long in_person = registration(*c, e, "p@example.org", core::mode::in_person);
    BOOST_TEST(!services::record_zoom_registrant(*c, in_person, "reg-3", "https://zoom.example/w/3"));
}

BOOST_DATA_TEST_CASE(registrants_waiting_for_the_meeting_become_due_when_it_exists, bdata::make(delivery_backends()), backend) {
    temp_database db(backend);
    auto c = db.connect();
    long long e = event(*c, user(*c, "o@example.org", "organizer"), core::now() + 48h);
    long long r = registration(*c, e, "a@example.org", core::mode::online);
    long long add = message(*c, core::message_kind::zoom_add_registrant, e, r, core::now() + 1h);
    services::record_zoom_meeting(*c, e, "85012345678");
    BOOST_TEST(store::load_event(*c, e)->zoom_id == "85012345678");
    BOOST_TEST((store::find_message(*c, add)->next_attempt_at <= core::now()));
    auto email_only = store::claim_due(*c, core::now(), core::now() + 1min, 10, "email");
    BOOST_TEST(email_only.empty());
    auto zoom = store::claim_due(*c, core::now(), core::now() + 1min, 10, "zoom");
    BOOST_TEST_REQUIRE(zoom.size() == 1u);
    BOOST_TEST(zoom[0].id == add);
}

BOOST_DATA_TEST_CASE(attendance_is_recorded_once_per_notification, bdata::make(delivery_backends()), backend) {
    temp_database db(backend);
    auto c = db.connect();
    long long e = event(*c, user(*c, "o@example.org", "organizer"), core::now() + 48h);
    long long r = registration(*c, e, "Ada@Example.org", core::mode::online);
    services::record_zoom_meeting(*c, e, "85012345678");
    auto t = core::now();
    services::zoom_participant joined{"85012345678", "", "ada@example.org", "email:ada@example.org", true, t, "k1"};
    BOOST_TEST(services::record_zoom_participant(*c, joined));
    BOOST_TEST(!services::record_zoom_participant(*c, joined));
    services::zoom_participant left{"85012345678", "", "ada@example.org", "email:ada@example.org", false, t + 30min, "k2"};
    BOOST_TEST(services::record_zoom_participant(*c, left));
    BOOST_TEST(count(*c, "SELECT COUNT(*) FROM zoom_attendance WHERE joined_at IS NOT NULL AND left_at IS NOT NULL AND registration_id = " +
                             std::to_string(r)) == 1);
    BOOST_TEST(store::count_online_attendees(*c, e) == 1);
    services::zoom_participant stranger{"999", "", "x@example.org", "email:x@example.org", true, t, "k3"};
    BOOST_TEST(!services::record_zoom_participant(*c, stranger));
}

BOOST_DATA_TEST_CASE(organizers_see_and_retry_only_their_events_messages, bdata::make(delivery_backends()), backend) {
    temp_database db(backend);
    auto c = db.connect();
    services::actor admin{user(*c, "admin@example.org", "admin"), "admin"};
    services::actor mine{user(*c, "mine@example.org", "organizer"), "organizer"};
    services::actor other{user(*c, "other@example.org", "organizer"), "organizer"};
    long long e = event(*c, mine.user_id, core::now() + 48h);
    long long r = registration(*c, e, "a@example.org", core::mode::in_person);
    long long failed = message(*c, core::message_kind::confirmation, e, r);
    long long sent = message(*c, core::message_kind::waitlisted, e, r);
    store::mark_retry(*c, failed, "SendGrid: HTTP 500", core::now(), true);
    store::mark_sent(*c, sent, core::now());

    auto listed = services::list_outbox_messages(*c, mine, "failed", "");
    BOOST_TEST_REQUIRE(listed.has_value());
    BOOST_TEST((*listed)["messages"].size() == 1u);
    BOOST_TEST((*listed)["messages"][0]["last_error"] == "SendGrid: HTTP 500");
    BOOST_TEST((*services::list_outbox_messages(*c, other, "", ""))["messages"].empty());
    BOOST_TEST((*services::list_outbox_messages(*c, admin, "", ""))["messages"].size() == 2u);
    BOOST_TEST((services::list_outbox_messages(*c, other, "", std::to_string(e)).error().code == core::errc::not_found));
    BOOST_TEST((services::list_outbox_messages(*c, mine, "lost", "").error().code == core::errc::validation));

    BOOST_TEST((services::retry_outbox_message(*c, other, failed).error().code == core::errc::not_found));
    BOOST_TEST((services::retry_outbox_message(*c, mine, sent).error().code == core::errc::conflict));
    auto retried = services::retry_outbox_message(*c, mine, failed);
    BOOST_TEST_REQUIRE(retried.has_value());
    BOOST_TEST((*retried)["status"] == "pending");
    BOOST_TEST((*retried)["attempts"] == 0);
    store::mark_retry(*c, failed, "again", core::now(), true);
    BOOST_TEST((*services::retry_failed_of_event(*c, mine, std::to_string(e)))["retried"] == 1);
    BOOST_TEST((services::retry_failed_of_event(*c, other, std::to_string(e)).error().code == core::errc::not_found));
}

BOOST_AUTO_TEST_SUITE_END()
