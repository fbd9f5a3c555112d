// Registration use cases: seats, waitlists, duplicates, idempotency, cancel, switch, erasure, and the messages owed.
#include "core/services/registrations.hpp"

#include "core/store/outbox_repo.hpp"
#include "core/store/registrations_repo.hpp"
#include "tests/services/world.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <set>

namespace bdata = boost::unit_test::data;
namespace core = ensemble::core;
namespace services = ensemble::core::services;
namespace store = ensemble::core::store;
using ensemble::test::registered;
using ensemble::test::world;
using json = nlohmann::json;

namespace {

std::string email_of(int i) { return "person" + std::to_string(i) + "@example.org"; }

core::errc code_of(const core::result<services::registration_reply>& r) {
    BOOST_REQUIRE(!r.has_value());
    return r.error().code;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registrations)

BOOST_DATA_TEST_CASE(seats_are_confirmed_until_full_then_full_with_alternatives, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(3, 2, false);
    for (int i = 0; i < 3; ++i) {
        auto r = w.enrol(id, "P" + std::to_string(i), email_of(i), "in_person");
        BOOST_TEST(r.status == "confirmed");
        BOOST_TEST(r.waitlist_position == 0);
        w.check_invariants(id);
    }
    auto full = w.try_register(id, "Late", "late@example.org", "in_person");
    BOOST_TEST_REQUIRE(!full.has_value());
    BOOST_TEST((full.error().code == core::errc::full));
    BOOST_TEST(full.error().alternatives == (std::map<std::string, long long>{{"online", 2}}));
    // Asking for the waitlist does not help when the event has none.
    auto no_waitlist = w.try_register(id, "Late", "late@example.org", "in_person", true);
    BOOST_TEST((code_of(no_waitlist) == core::errc::full));
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations WHERE email_norm = 'late@example.org'") == 0);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'late@example.org'") == 0);
    w.check_invariants(id);

    auto online = w.enrol(id, "Online", "online@example.org", "online");
    BOOST_TEST(online.status == "confirmed");
    auto e = w.event(id);
    BOOST_TEST(e.in_person.taken == 3);
    BOOST_TEST(e.online.taken == 1);
}

BOOST_DATA_TEST_CASE(the_waitlist_takes_people_in_arrival_order, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 0 + 1);
    w.enrol(id, "Seated", "seated@example.org", "in_person");
    auto full = w.try_register(id, "No list", "nolist@example.org", "in_person", false);
    BOOST_TEST((code_of(full) == core::errc::full));
    std::vector<registered> waiting;
    for (int i = 0; i < 5; ++i) {
        waiting.push_back(w.enrol(id, "W" + std::to_string(i), email_of(i), "in_person", true));
        BOOST_TEST(waiting.back().status == "waitlisted");
        BOOST_TEST(waiting.back().waitlist_position == i + 1);
        w.check_invariants(id);
    }
    BOOST_TEST(w.event(id).in_person.waitlisted == 5);
    // Leaving the list closes the gap: positions stay dense and in arrival order.
    BOOST_TEST(w.cancel(waiting[1].manage_token).has_value());
    BOOST_TEST(w.cancel(waiting[3].manage_token).has_value());
    long long expected = 1;
    for (int i : {0, 2, 4}) BOOST_TEST((*w.view(waiting[i].manage_token))["waitlist_position"] == expected++);
    BOOST_TEST((*w.view(waiting[1].manage_token))["waitlist_position"].is_null());
    BOOST_TEST(w.event(id).in_person.waitlisted == 3);
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(an_email_registers_once_whatever_its_case_or_spaces, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(10, 10);
    auto first = w.enrol(id, "Amina", "Amina.Diallo@Example.org", "in_person");
    for (const char* again : {"amina.diallo@example.org", "  AMINA.DIALLO@EXAMPLE.ORG ", "Amina.Diallo@Example.org\t"}) {
        for (const char* mode : {"in_person", "online"}) {
            auto r = w.try_register(id, "Amina", again, mode, true);
            BOOST_TEST((code_of(r) == core::errc::already_registered), again << " " << mode);
        }
    }
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations") == 1);
    // After a cancellation the person may register again; the old row stays for the counts.
    BOOST_TEST(w.cancel(first.manage_token).has_value());
    auto back = w.enrol(id, "Amina", "amina.diallo@example.org", "online");
    BOOST_TEST(back.status == "confirmed");
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations") == 2);
    // Another event is another matter.
    long long other = w.make_event(10, 10);
    BOOST_TEST(w.enrol(other, "Amina", "amina.diallo@example.org", "in_person").status == "confirmed");
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(an_idempotency_key_replays_the_first_answer, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 1);
    auto first = w.try_register(id, "Amina", "amina@example.org", "in_person", false, "key-123");
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(!first->replayed);
    auto replay = w.try_register(id, "Amina", "amina@example.org", "in_person", false, "key-123");
    BOOST_TEST_REQUIRE(replay.has_value());
    BOOST_TEST(replay->replayed);
    BOOST_TEST(replay->status == 201);
    BOOST_TEST(replay->body == first->body);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations") == 1);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM outbox WHERE kind = 'email.confirmation'") == 1);

    auto reuse = w.try_register(id, "Someone Else", "else@example.org", "in_person", false, "key-123");
    BOOST_TEST((code_of(reuse) == core::errc::conflict));
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations") == 1);
    // A refused request stores no answer under its key: the same key may be used again.
    auto refused = w.try_register(id, "Bob", "bob@example.org", "in_person", false, "key-456");
    BOOST_TEST((code_of(refused) == core::errc::full));
    auto retried = w.try_register(id, "Bob", "bob@example.org", "online", false, "key-789");
    BOOST_TEST_REQUIRE(retried.has_value());
    // Keys belong to one event.
    long long other = w.make_event(1, 1);
    auto elsewhere = w.try_register(other, "Amina", "amina@example.org", "in_person", false, "key-123");
    BOOST_TEST_REQUIRE(elsewhere.has_value());
    BOOST_TEST(!elsewhere->replayed);
    w.check_invariants(id);
    w.check_invariants(other);
}

BOOST_DATA_TEST_CASE(cancel_gives_the_seat_to_the_first_waitlisted_of_that_mode, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 1);
    auto seated = w.enrol(id, "Seated", "seated@example.org", "in_person");
    auto online = w.enrol(id, "Online", "online@example.org", "online");
    auto online_waiting = w.enrol(id, "Online waiting", "ow@example.org", "online", true);
    auto first = w.enrol(id, "First", "first@example.org", "in_person", true);
    auto second = w.enrol(id, "Second", "second@example.org", "in_person", true);
    auto cancelled = w.cancel(seated.manage_token);
    BOOST_TEST_REQUIRE(cancelled.has_value());
    BOOST_TEST(cancelled->promoted == 1);
    BOOST_TEST(cancelled->previous_status == "confirmed");
    BOOST_TEST(w.status_of(seated.id) == "cancelled");
    BOOST_TEST(w.status_of(first.id) == "confirmed");
    BOOST_TEST(w.status_of(second.id) == "waitlisted");
    BOOST_TEST(w.status_of(online_waiting.id) == "waitlisted");
    BOOST_TEST((*w.view(second.manage_token))["waitlist_position"] == 1);
    BOOST_TEST(w.outbox_kinds(seated.id) == (std::vector<std::string>{core::message_kind::confirmation, core::message_kind::cancelled}));
    BOOST_TEST(w.outbox_kinds(first.id) == (std::vector<std::string>{core::message_kind::waitlisted, core::message_kind::promoted}));
    w.check_invariants(id);

    // Cancelling twice changes nothing more.
    auto again = w.cancel(seated.manage_token);
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST(again->promoted == 0);
    BOOST_TEST(w.status_of(second.id) == "waitlisted");
    BOOST_TEST(w.outbox_kinds(seated.id).size() == 2u);
    w.check_invariants(id);

    // A waitlisted person leaving frees no seat.
    BOOST_TEST(w.cancel(online_waiting.manage_token)->promoted == 0);
    BOOST_TEST(w.event(id).online.waitlisted == 0);
    w.check_invariants(id);
    BOOST_TEST((w.cancel("not-a-token").error().code == core::errc::not_found));
    (void)online;
}

BOOST_DATA_TEST_CASE(switching_mode_is_atomic, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 1);
    auto a = w.enrol(id, "A", "a@example.org", "in_person");
    auto waiting = w.enrol(id, "Waiting", "waiting@example.org", "in_person", true);
    auto moved = w.switch_to(a.manage_token, "online");
    BOOST_TEST_REQUIRE(moved.has_value());
    BOOST_TEST(moved->reg.mode == core::mode::online);
    BOOST_TEST(moved->promoted == 1);  // the in-person seat went to the waitlist
    BOOST_TEST(w.status_of(waiting.id) == "confirmed");
    BOOST_TEST(w.outbox_kinds(a.id).back() == core::message_kind::switched);
    auto e = w.event(id);
    BOOST_TEST(e.in_person.taken == 1);
    BOOST_TEST(e.online.taken == 1);
    w.check_invariants(id);

    // Both modes are full now: the switch back is refused and nothing changes.
    auto b = w.enrol(id, "B", "b@example.org", "in_person", true);
    auto before = w.event(id);
    auto refused = w.switch_to(a.manage_token, "in_person");
    BOOST_TEST_REQUIRE(!refused.has_value());
    BOOST_TEST((refused.error().code == core::errc::full));
    BOOST_TEST(refused.error().alternatives.contains("online"));
    auto after = w.event(id);
    BOOST_TEST(after.in_person.taken == before.in_person.taken);
    BOOST_TEST(after.online.taken == before.online.taken);
    BOOST_TEST(after.in_person.waitlisted == before.in_person.waitlisted);
    BOOST_TEST((*w.view(a.manage_token))["mode"] == "online");
    BOOST_TEST(w.status_of(b.id) == "waitlisted");
    w.check_invariants(id);

    // Same mode: nothing to do. Unknown mode: validation. Cancelled: conflict.
    BOOST_TEST(w.switch_to(a.manage_token, "online").has_value());
    BOOST_TEST((w.switch_to(a.manage_token, "hybrid").error().code == core::errc::validation));
    BOOST_TEST(w.cancel(a.manage_token).has_value());
    BOOST_TEST((w.switch_to(a.manage_token, "in_person").error().code == core::errc::conflict));
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(a_waitlisted_person_can_switch_to_a_mode_with_seats, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 5);
    w.enrol(id, "Seated", "seated@example.org", "in_person");
    auto waiting = w.enrol(id, "Waiting", "waiting@example.org", "in_person", true);
    auto moved = w.switch_to(waiting.manage_token, "online");
    BOOST_TEST_REQUIRE(moved.has_value());
    BOOST_TEST(moved->reg.status == core::registration_status::confirmed);
    auto e = w.event(id);
    BOOST_TEST(e.in_person.waitlisted == 0);
    BOOST_TEST(e.online.taken == 1);
    auto view = *w.view(waiting.manage_token);
    BOOST_TEST(view["status"] == "confirmed");
    BOOST_TEST(view["mode"] == "online");
    w.check_invariants(id);

    auto in_person_only = world::event_body(5, 0);
    in_person_only["format"] = "in_person";
    in_person_only.erase("online");
    long long only = w.make_event(in_person_only);
    auto p = w.enrol(only, "P", "p@example.org", "in_person");
    BOOST_TEST((w.switch_to(p.manage_token, "online").error().code == core::errc::validation));
    BOOST_TEST((code_of(w.try_register(only, "Q", "q@example.org", "online")) == core::errc::validation));
}

BOOST_DATA_TEST_CASE(every_message_owed_is_in_the_outbox, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    auto body = world::event_body(1, 1);
    body["online"] = {{"provider", "zoom"}};
    long long id = w.make_event(body);
    auto in_person = w.enrol(id, "In person", "ip@example.org", "in_person");
    auto online = w.enrol(id, "Online", "on@example.org", "online");
    auto online_waiting = w.enrol(id, "Waiting", "ow@example.org", "online", true);
    BOOST_TEST(w.outbox_kinds(in_person.id) == (std::vector<std::string>{core::message_kind::confirmation}));
    BOOST_TEST(w.outbox_kinds(online.id) == (std::vector<std::string>{core::message_kind::zoom_add_registrant, core::message_kind::confirmation}));
    BOOST_TEST(w.outbox_kinds(online_waiting.id) == (std::vector<std::string>{core::message_kind::waitlisted}));
    auto c = w.db.connect();
    BOOST_TEST(ensemble::test::scalar(*c, "SELECT COUNT(*) FROM outbox WHERE registration_id = " + std::to_string(online_waiting.id) +
                                              " AND payload LIKE '%\"position\":1%'") == 1);

    BOOST_TEST(w.cancel(online.manage_token).has_value());
    BOOST_TEST(w.outbox_kinds(online.id) == (std::vector<std::string>{core::message_kind::zoom_add_registrant, core::message_kind::confirmation,
                                                                      core::message_kind::zoom_cancel_registrant, core::message_kind::cancelled}));
    BOOST_TEST(w.outbox_kinds(online_waiting.id) ==
               (std::vector<std::string>{core::message_kind::waitlisted, core::message_kind::zoom_add_registrant, core::message_kind::promoted}));
    for (const auto& kind : w.outbox_kinds(online.id)) BOOST_TEST(!kind.empty());
    BOOST_TEST(ensemble::test::scalar(*c, "SELECT COUNT(*) FROM outbox WHERE status <> 'pending'") == 0);
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(the_attendee_view_shows_the_join_link_only_to_confirmed_online_people, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 1);
    auto in_person = w.enrol(id, "In person", "ip@example.org", "in_person");
    auto online = w.enrol(id, "Online", "on@example.org", "online");
    auto waiting = w.enrol(id, "Waiting", "ow@example.org", "online", true);
    auto v = *w.view(online.manage_token);
    BOOST_TEST(v["join_url"] == "https://zoom.us/j/5551234567");
    BOOST_TEST(v["passcode"] == "licence");
    BOOST_TEST(v["email"] == "on@example.org");
    BOOST_TEST(v["ticket_code"] == online.ticket_code);
    BOOST_TEST(v["event"]["id"] == id);
    BOOST_TEST(!v["event"]["online"].contains("join_url"));
    for (const auto& token : {in_person.manage_token, waiting.manage_token}) {
        auto other = *w.view(token);
        BOOST_TEST(!other.contains("join_url"));
        BOOST_TEST(!other.contains("passcode"));
        BOOST_TEST(other.dump().find("5551234567") == std::string::npos);
    }
    BOOST_TEST(w.cancel(online.manage_token).has_value());
    BOOST_TEST(!w.view(online.manage_token)->contains("join_url"));
    BOOST_TEST(w.view(waiting.manage_token)->contains("join_url"));  // promoted
    BOOST_TEST((w.view("").error().code == core::errc::not_found));
    BOOST_TEST((w.view(online.manage_token.substr(1)).error().code == core::errc::not_found));
    BOOST_TEST((w.view(online.ticket_code).error().code == core::errc::not_found));  // the ticket is not a manage token

    // Zoom events show each person's own link once the registrant exists.
    auto body = world::event_body(1, 1);
    body["online"] = {{"provider", "zoom"}};
    long long zoom = w.make_event(body);
    auto z = w.enrol(zoom, "Zoom", "z@example.org", "online");
    BOOST_TEST(!w.view(z.manage_token)->contains("join_url"));
    w.exec->write_now([&](store::connection& c) -> core::result<int> {
        store::set_zoom_registrant(c, z.id, "reg-1", "https://zoom.us/w/999?tk=personal");
        return 0;
    });
    BOOST_TEST((*w.view(z.manage_token))["join_url"] == "https://zoom.us/w/999?tk=personal");
}

BOOST_DATA_TEST_CASE(drafts_take_no_registrations_and_tokens_are_unguessable, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long draft = w.make_event(5, 5, true, false);
    BOOST_TEST((code_of(w.try_register(draft, "A", "a@example.org", "in_person")) == core::errc::not_found));
    BOOST_TEST((code_of(w.try_register(999999, "A", "a@example.org", "in_person")) == core::errc::not_found));
    long long id = w.make_event(50, 50);
    std::set<std::string> tokens;
    for (int i = 0; i < 20; ++i) {
        auto r = w.enrol(id, "P", email_of(i), i % 2 ? "online" : "in_person");
        BOOST_TEST(r.ticket_code.size() >= 22u);
        BOOST_TEST(r.manage_token.size() >= 22u);
        tokens.insert(r.ticket_code);
        tokens.insert(r.manage_token);
    }
    BOOST_TEST(tokens.size() == 40u);
    auto missing_answer = w.try_register(id, "A", "late@example.org", "in_person", false, "", json::object());
    BOOST_TEST_REQUIRE(!missing_answer.has_value());
    BOOST_TEST(missing_answer.error().fields.contains("answers.profession"));
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(erasure_keeps_counts_and_removes_personal_data, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 1);
    auto target = w.try_register(id, "Élodie Côté", "Elodie.Cote@Example.org", "in_person", false, "erase-key",
                                 {{"profession", "Pharmacist from Lyon"}, {"province", "qc"}});
    BOOST_TEST_REQUIRE(target.has_value());
    auto body = json::parse(target->body);
    long long reg_id = body["id"];
    std::string token = body["manage_token"];
    auto waiting = w.enrol(id, "Next", "next@example.org", "in_person", true);
    w.exec->write_now([&](store::connection& c) -> core::result<int> {
        long long t = core::to_ms(core::now());
        c.sql << "INSERT INTO checkin_log (event_id, registration_id, action, device_id, result, scanned_at, recorded_at) "
                 "VALUES (:e, :r, 'check_in', 'Élodie''s phone', '{\"result\":\"checked_in\",\"registration\":{\"name\":\"Élodie Côté\"}}', :t, :t2)",
            soci::use(id), soci::use(reg_id), soci::use(t), soci::use(t);
        c.sql << "INSERT INTO zoom_attendance (event_id, registration_id, participant_key, joined_at, delivery_key) "
                 "VALUES (:e, :r, 'elodie.cote@example.org', :t, 'delivery-1')",
            soci::use(id), soci::use(reg_id), soci::use(t);
        return 0;
    });
    auto exported = w.exec->read_now([&](store::connection& c) { return services::export_personal_data(c, w.events, token); });
    BOOST_TEST_REQUIRE(exported.has_value());
    BOOST_TEST((*exported)["name"] == "Élodie Côté");
    BOOST_TEST((*exported)["answers"]["profession"] == "Pharmacist from Lyon");
    BOOST_TEST((*exported)["checkins"].size() == 1u);
    BOOST_TEST((*exported)["online_attendance"].size() == 1u);
    BOOST_TEST((*exported)["messages"].size() == 1u);
    BOOST_TEST((*exported)["messages"][0]["recipient"] == "Elodie.Cote@Example.org");

    auto erased = w.exec->write_now([&](store::connection& c) { return services::erase_by_token(c, w.events, token); });
    BOOST_TEST_REQUIRE(erased.has_value());
    BOOST_TEST(erased->promoted == 1);
    BOOST_TEST(w.status_of(waiting.id) == "confirmed");
    BOOST_TEST(w.status_of(reg_id) == "cancelled");
    w.check_invariants(id);
    auto c = w.db.connect();
    auto counts = store::count_registrations(*c, id, core::mode::in_person);
    BOOST_TEST(counts.cancelled == 1);
    BOOST_TEST(counts.confirmed == 1);

    // Nothing that names the person is left in the tables that held it.
    for (const char* needle : {"Élodie", "Côté", "elodie", "Elodie", "Lyon", "Pharmacist"}) {
        for (const char* table : {"registrations", "outbox", "checkin_log", "zoom_attendance"}) {
            soci::rowset<soci::row> rows = (c->sql.prepare << std::string("SELECT * FROM ") + table);
            for (const auto& r : rows)
                for (std::size_t i = 0; i < r.size(); ++i) {
                    if (r.get_indicator(i) == soci::i_null || r.get_properties(i).get_data_type() != soci::dt_string) continue;
                    std::string v = r.get<std::string>(i);
                    BOOST_TEST(v.find(needle) == std::string::npos, table << "." << r.get_properties(i).get_name() << " still holds " << needle);
                }
        }
    }
    BOOST_TEST(ensemble::test::scalar(*c, "SELECT COUNT(*) FROM zoom_attendance") == 0);
    BOOST_TEST(ensemble::test::scalar(*c, "SELECT COUNT(*) FROM checkin_log") == 1);  // the check-in still counts
    BOOST_TEST(ensemble::test::scalar(*c, "SELECT COUNT(*) FROM outbox WHERE registration_id = " + std::to_string(reg_id) +
                                              " AND status = 'pending'") == 0);
    // The token no longer opens anything, and the email may register again.
    BOOST_TEST((w.view(token).error().code == core::errc::not_found));
    auto erase_again = w.exec->write_now([&](store::connection& c2) { return services::erase_by_token(c2, w.events, token); });
    BOOST_TEST((erase_again.error().code == core::errc::not_found));
    BOOST_TEST(w.enrol(id, "Élodie Côté", "elodie.cote@example.org", "online").status == "confirmed");
}

BOOST_DATA_TEST_CASE(concurrent_registrations_never_overbook, bdata::make(ensemble::test::backends()), backend) {
    world w(backend, 4);
    long long id = w.make_event(7, 5);
    constexpr int n = 60;
    std::mutex m;
    std::condition_variable cv;
    int done = 0;
    std::map<std::string, int> outcomes;
    for (int i = 0; i < n; ++i) {
        auto cmd = std::make_shared<services::registration_command>();
        cmd->event_ref = std::to_string(id);
        cmd->request = {"P" + std::to_string(i), email_of(i), i % 3 ? "in_person" : "online", "en", {{"profession", "RN"}}, i % 2 == 0, true};
        w.exec->post_write(store::make_job([cmd, &w](store::connection& c) { return services::register_attendee(c, w.events, *cmd); },
                                           [&](core::result<services::registration_reply> r) {
                                               std::lock_guard lock(m);
                                               outcomes[r ? std::string(json::parse(r->body)["status"]) : core::code_name(r.error().code)]++;
                                               if (++done == n) cv.notify_all();
                                           }));
    }
    {
        std::unique_lock lock(m);
        BOOST_TEST_REQUIRE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return done == n; }));
    }
    BOOST_TEST(outcomes["confirmed"] == 12);
    BOOST_TEST(outcomes["confirmed"] + outcomes["waitlisted"] + outcomes["full"] == n);
    BOOST_TEST(outcomes.size() <= 3u);
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(the_same_email_at_once_in_both_modes_registers_once, bdata::make(ensemble::test::backends()), backend) {
    // Several writers (PostgreSQL) may run two registrations of one person at the same moment.
    world w(backend, 4);
    long long id = w.make_event(50, 50);
    for (int round = 0; round < 5; ++round) {
        constexpr int n = 8;
        std::mutex m;
        std::condition_variable cv;
        int done = 0;
        std::map<std::string, int> outcomes;
        std::string email = "twice" + std::to_string(round) + "@example.org";
        for (int i = 0; i < n; ++i) {
            auto cmd = std::make_shared<services::registration_command>();
            cmd->event_ref = std::to_string(id);
            cmd->request = {"Twice", email, i % 2 ? "in_person" : "online", "en", {{"profession", "RN"}}, false, true};
            w.exec->post_write(store::make_job([cmd, &w](store::connection& c) { return services::register_attendee(c, w.events, *cmd); },
                                               [&](core::result<services::registration_reply> r) {
                                                   std::lock_guard lock(m);
                                                   outcomes[r ? std::string("created") : core::code_name(r.error().code)]++;
                                                   if (++done == n) cv.notify_all();
                                               }));
        }
        std::unique_lock lock(m);
        BOOST_TEST_REQUIRE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return done == n; }));
        BOOST_TEST(outcomes["created"] == 1, "round " << round);
        BOOST_TEST(outcomes["already_registered"] == n - 1, "round " << round << ": internal errors " << outcomes["internal"]);
    }
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(the_same_idempotency_key_at_once_registers_once, bdata::make(ensemble::test::backends()), backend) {
    world w(backend, 4);
    long long id = w.make_event(50, 50);
    for (int round = 0; round < 5; ++round) {
        constexpr int n = 8;
        std::mutex m;
        std::condition_variable cv;
        int done = 0;
        std::vector<core::result<services::registration_reply>> replies;
        auto cmd = std::make_shared<services::registration_command>();
        cmd->event_ref = std::to_string(id);
        cmd->request = {"Retry", "retry" + std::to_string(round) + "@example.org", "in_person", "en", {{"profession", "RN"}}, false, true};
        cmd->idempotency_key = "key-" + std::to_string(round);
        cmd->request_hash = "hash-" + std::to_string(round);
        for (int i = 0; i < n; ++i)
            w.exec->post_write(store::make_job([cmd, &w](store::connection& c) { return services::register_attendee(c, w.events, *cmd); },
                                               [&](core::result<services::registration_reply> r) {
                                                   std::lock_guard lock(m);
                                                   replies.push_back(std::move(r));
                                                   if (++done == n) cv.notify_all();
                                               }));
        std::unique_lock lock(m);
        BOOST_TEST_REQUIRE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return done == n; }));
        int fresh = 0;
        for (const auto& r : replies) {
            BOOST_TEST_REQUIRE(r.has_value(), "round " << round << ": " << core::code_name(r.error().code));
            BOOST_TEST(r->body == replies.front()->body);
            if (!r->replayed) ++fresh;
        }
        BOOST_TEST(fresh == 1);
    }
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations") == 5);
    w.check_invariants(id);
}

BOOST_AUTO_TEST_SUITE_END()
