// Email templates: every kind in both languages, HTML escaping of what people typed, plain text as typed.
#include "integrations/mail/templates.hpp"

#include "integrations/mail/compose.hpp"
#include "tests/integrations/compose_fixture.hpp"

#include <boost/test/unit_test.hpp>

namespace in = ensemble::integrations;
namespace core = ensemble::core;

namespace {

const char* kinds[] = {"confirmation", "waitlisted", "promoted", "cancelled", "event_cancelled", "switched", "join_link", "reminder", "recording"};

in::template_set& loaded() {
    static in::template_set t("integrations/templates");
    return t;
}

nlohmann::json values(core::mode m, const std::string& lang, const std::string& kind) {
    auto f = ensemble::test::sample_facts(m, lang);
    if (m == core::mode::online) f.reg->join_url = "https://zoom.example/w/1?tk=a&b=<c>";
    in::mail_context ctx{"https://summit.example.org", {"Équipe Ensemble", "events@summit.example.org"}};
    in::mail_row row{7, "email." + kind, {{"registration_id", 1001}, {"event_id", 42}}, core::now()};
    return in::template_values(row, f, ctx, f.event->spec.starts_at - std::chrono::hours(24));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mail_templates)

BOOST_AUTO_TEST_CASE(every_kind_exists_in_both_languages) {
    for (const char* k : kinds) {
        BOOST_TEST(loaded().has(k, "en"), k);
        BOOST_TEST(loaded().has(k, "fr"), k);
    }
}

BOOST_AUTO_TEST_CASE(what_people_typed_is_escaped_in_html_and_left_alone_in_text) {
    for (const char* lang : {"en", "fr"})
        for (const char* k : kinds) {
            auto v = values(core::mode::in_person, lang, k);
            auto out = loaded().render(k, lang, v);
            BOOST_TEST(out.html.find("<b>Côté</b>") == std::string::npos, k);
            BOOST_TEST(out.html.find("Amélie &lt;b&gt;Côté&lt;/b&gt; &amp; &quot;Co&quot;") != std::string::npos, k);
            BOOST_TEST(out.html.find("&lt;2025&gt; &amp;") != std::string::npos, k);
            BOOST_TEST(out.text.find("Amélie <b>Côté</b> & \"Co\"") != std::string::npos, k);
            BOOST_TEST(out.subject.find("<2025> &") != std::string::npos, k);
            BOOST_TEST(out.subject.find('\n') == std::string::npos, k);
            BOOST_TEST(out.html.find("https://summit.example.org/manage/manage-xyz") != std::string::npos, k);
            BOOST_TEST(out.text.find("https://summit.example.org/manage/manage-xyz") != std::string::npos, k);
        }
}

BOOST_AUTO_TEST_CASE(the_attendee_language_is_used) {
    auto en = loaded().render("confirmation", "en", values(core::mode::in_person, "en", "confirmation"));
    BOOST_TEST(en.subject == "Registration confirmed: Annual Summit <2025> & Friends");
    BOOST_TEST(en.text.find("Hello Amélie") == 0u);
    BOOST_TEST(en.text.find("Saturday, November 22, 2025 at 9:30 AM EST") != std::string::npos);
    BOOST_TEST(en.text.find("Where: Metro Hall, 55 John St, Toronto, ON, M5V 3C6") != std::string::npos);
    BOOST_TEST(en.text.find("https://www.openstreetmap.org/search?query=Metro%20Hall%2C%2055%20John%20St") != std::string::npos);
    BOOST_TEST(en.text.find("Ticket code: TICKET-abc123") != std::string::npos);
    auto fr = loaded().render("confirmation", "fr", values(core::mode::in_person, "fr", "confirmation"));
    BOOST_TEST(fr.subject == "Inscription confirmée : Sommet annuel <2025> & amis");
    BOOST_TEST(fr.text.find("Bonjour Amélie") == 0u);
    BOOST_TEST(fr.text.find("samedi 22 novembre 2025 à 9 h 30 (EST)") != std::string::npos);
    BOOST_TEST(fr.html.find("<html lang=\"fr\">") != std::string::npos);
    BOOST_TEST(fr.html.find("Gérer votre inscription") != std::string::npos);
    auto fallback = loaded().render("confirmation", "de", values(core::mode::in_person, "en", "confirmation"));
    BOOST_TEST(fallback.subject == en.subject);
}

BOOST_AUTO_TEST_CASE(join_links_go_only_to_confirmed_online_seats) {
    auto online = loaded().render("confirmation", "en", values(core::mode::online, "en", "confirmation"));
    BOOST_TEST(online.text.find("Your join link: https://zoom.example/w/1?tk=a&b=<c>") != std::string::npos);
    BOOST_TEST(online.html.find("href=\"https://zoom.example/w/1?tk=a&amp;b=&lt;c&gt;\"") != std::string::npos);
    BOOST_TEST(online.text.find("Ticket code") == std::string::npos);
    BOOST_TEST(online.text.find("Where: online") != std::string::npos);
    auto in_person = loaded().render("confirmation", "en", values(core::mode::in_person, "en", "confirmation"));
    BOOST_TEST(in_person.text.find("join link") == std::string::npos);

    auto f = ensemble::test::sample_facts(core::mode::online, "en");
    in::mail_context ctx{"https://summit.example.org", {"", "events@summit.example.org"}};
    in::mail_row row{7, "email.confirmation", nlohmann::json::object(), core::now()};
    auto pending = loaded().render("confirmation", "en", in::template_values(row, f, ctx, core::now()));
    BOOST_TEST(pending.text.find("Your personal join link will follow") != std::string::npos);
    f.reg->status = core::registration_status::waitlisted;
    f.reg->join_url = "https://zoom.example/w/1";
    f.waitlist_position = 3;
    auto waitlisted = loaded().render("waitlisted", "fr", in::template_values({7, "email.waitlisted", {}, core::now()}, f, ctx, core::now()));
    BOOST_TEST(waitlisted.text.find("zoom.example") == std::string::npos);
    BOOST_TEST(waitlisted.text.find("en position 3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_folder_is_a_clear_error) {
    BOOST_CHECK_EXCEPTION(in::template_set("no/such/folder"), std::runtime_error,
                          [](const std::runtime_error& e) { return std::string(e.what()).find("no/such/folder") != std::string::npos; });
}

BOOST_AUTO_TEST_SUITE_END()
