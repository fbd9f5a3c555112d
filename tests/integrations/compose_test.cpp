// Composing a row's email: fixed Message-ID, attachments by seat, rows that are no longer due.
#include "integrations/mail/compose.hpp"

#include "core/security/crypto.hpp"
#include "tests/integrations/compose_fixture.hpp"
#include "tests/integrations/mail_parsing.hpp"

#include <boost/test/unit_test.hpp>

namespace in = ensemble::integrations;
namespace core = ensemble::core;
using ensemble::test::sample_facts;

namespace {

const in::template_set& templates() {
    static in::template_set t("integrations/templates");
    return t;
}

const in::mail_context ctx{"https://summit.example.org", {"Équipe Ensemble", "events@summit.example.org"}};

std::vector<std::string> attachment_names(const in::email_message& m) {
    std::vector<std::string> out;
    for (const auto& a : m.attachments) out.push_back(a.filename);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compose)

BOOST_AUTO_TEST_CASE(the_message_id_is_fixed_per_row) {
    auto created = core::from_ms(1'700'000'000'000);
    std::string id = in::outbox_message_id(42, created, "summit.example.org");
    BOOST_TEST(id.rfind("<outbox-42.", 0) == 0u);
    BOOST_TEST(id.find("@summit.example.org>") != std::string::npos);
    BOOST_TEST(in::outbox_message_id(42, created, "summit.example.org") == id);
    BOOST_TEST(in::outbox_message_id(43, created, "summit.example.org") != id);
}

BOOST_AUTO_TEST_CASE(in_person_confirmations_carry_ticket_and_calendar) {
    auto f = sample_facts(core::mode::in_person, "en");
    in::mail_row row{9, "email.confirmation", {{"registration_id", 1001}}, core::now()};
    auto m = in::compose_email(templates(), row, f, ctx, core::now());
    BOOST_TEST(m.to.email == "amelie@example.org");
    BOOST_TEST(m.from.name == "Équipe Ensemble");
    BOOST_TEST(m.message_id == in::outbox_message_id(9, row.created_at, "summit.example.org"));
    BOOST_TEST((attachment_names(m) == std::vector<std::string>{"invite.ics", "ticket.png"}));
    BOOST_TEST(m.attachments[1].data.substr(1, 3) == "PNG");
    BOOST_TEST(m.attachments[0].data.find("BEGIN:VCALENDAR") == 0u);
    auto parsed = ensemble::test::parse_mime(in::build_mime(m));
    BOOST_TEST(parsed.parts.size() == 3u);
}

BOOST_AUTO_TEST_CASE(online_confirmations_carry_only_the_calendar) {
    auto f = sample_facts(core::mode::online, "fr");
    f.reg->join_url = "https://zoom.example/w/1";
    in::mail_row row{10, "email.promoted", nlohmann::json::object(), core::now()};
    auto m = in::compose_email(templates(), row, f, ctx, core::now());
    BOOST_TEST((attachment_names(m) == std::vector<std::string>{"invite.ics"}));
    BOOST_TEST(m.attachments[0].data.find("https://zoom.example/w/1") != std::string::npos);
    BOOST_TEST(m.subject.rfind("Une place vous attend", 0) == 0u);
    auto reminder = in::compose_email(templates(), {11, "email.reminder", nlohmann::json::object(), core::now()}, f, ctx, core::now());
    BOOST_TEST(reminder.attachments.empty());
    BOOST_TEST(reminder.text.find("https://zoom.example/w/1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(manual_links_and_passcodes_reach_confirmed_online_seats_only) {
    auto f = sample_facts(core::mode::online, "en");
    f.event->spec.online.provider = "manual";
    f.event->spec.online.join_url = "https://meet.example.org/room";
    f.event->spec.online.passcode = "s3cret";
    auto m = in::compose_email(templates(), {12, "email.confirmation", nlohmann::json::object(), core::now()}, f, ctx, core::now());
    BOOST_TEST(m.text.find("https://meet.example.org/room") != std::string::npos);
    BOOST_TEST(m.text.find("Passcode: s3cret") != std::string::npos);
    auto in_person = sample_facts(core::mode::in_person, "en");
    in_person.event->spec.online = f.event->spec.online;
    auto p = in::compose_email(templates(), {13, "email.confirmation", nlohmann::json::object(), core::now()}, in_person, ctx, core::now());
    BOOST_TEST(p.text.find("meet.example.org") == std::string::npos);
    BOOST_TEST(p.text.find("s3cret") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(rows_no_longer_due_are_recognised) {
    auto at = core::now();
    auto f = sample_facts(core::mode::in_person, "en");
    in::mail_row confirmation{1, "email.confirmation", nlohmann::json::object(), at};
    BOOST_TEST(!in::stale_reason(confirmation, f, at).has_value());
    auto cancelled = f;
    cancelled.reg->status = core::registration_status::cancelled;
    BOOST_TEST(in::stale_reason(confirmation, cancelled, at).has_value());
    BOOST_TEST(!in::stale_reason({2, "email.cancelled", nlohmann::json::object(), at}, cancelled, at).has_value());
    auto erased = f;
    erased.reg->erased_at = at;
    BOOST_TEST(in::stale_reason({3, "email.cancelled", nlohmann::json::object(), at}, erased, at).has_value());
    auto event_gone = f;
    event_gone.event->status = "cancelled";
    BOOST_TEST(!in::stale_reason({4, "email.event_cancelled", nlohmann::json::object(), at}, event_gone, at).has_value());
    BOOST_TEST(in::stale_reason({5, "email.reminder", nlohmann::json::object(), at}, event_gone, at).has_value());
    in::mail_row moved{6, "email.reminder", {{"starts_at", core::to_ms(f.event->spec.starts_at) + 3600000}}, at};
    BOOST_TEST(in::stale_reason(moved, f, f.event->spec.starts_at - std::chrono::hours(1)).has_value());
    in::mail_row on_time{7, "email.reminder", {{"starts_at", core::to_ms(f.event->spec.starts_at)}}, at};
    BOOST_TEST(!in::stale_reason(on_time, f, f.event->spec.starts_at - std::chrono::hours(1)).has_value());
    BOOST_TEST(in::stale_reason({8, "email.join_link", nlohmann::json::object(), at}, f, at).has_value());  // in person: no link
    core::services::delivery_facts none;
    BOOST_TEST(in::stale_reason(confirmation, none, at).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
