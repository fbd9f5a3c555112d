// Every rule of an event description, each named by its JSON path; slugs and links.
#include "core/domain/event.hpp"

#include <boost/test/unit_test.hpp>

using namespace ensemble::core;

namespace {

instant at(const char* text) { return *parse_instant(text, "UTC"); }

event_spec in_person_event() {
    event_spec e;
    e.title = {"Annual IEHP Summit", "Sommet annuel des PSFE"};
    e.format = "in_person";
    e.timezone = "America/Toronto";
    e.starts_at = at("2025-11-22T14:00:00Z");
    e.ends_at = at("2025-11-22T22:00:00Z");
    e.where = venue{"Metro Toronto Convention Centre", "255 Front St W", "Toronto", "ON", "M5V 2W6"};
    e.capacity_in_person = 300;
    e.languages = {"en", "fr"};
    return e;
}

event_spec online_event() {
    event_spec e = in_person_event();
    e.format = "online";
    e.where.reset();
    e.capacity_in_person = 0;
    e.capacity_online = 500;
    e.online.provider = "manual";
    e.online.join_url = "https://us02web.zoom.us/j/123456789";
    e.online.passcode = "summit";
    return e;
}

event_spec hybrid_event() {
    event_spec e = in_person_event();
    e.format = "hybrid";
    e.capacity_online = 200;
    e.online.provider = "zoom";
    return e;
}

// The errors of `e`, which must be exactly the listed paths.
void expect_errors(const event_spec& e, std::initializer_list<const char*> paths) {
    auto errors = validate_event(e);
    std::string got;
    for (const auto& [k, v] : errors) got += k + "=" + v + "; ";
    BOOST_TEST_INFO("errors: " << got);
    BOOST_TEST(errors.size() == paths.size());
    for (const char* p : paths) {
        BOOST_TEST_INFO("errors: " << got);
        BOOST_TEST(errors.contains(p), "expected an error on " << p);
    }
}

question choice_question(std::string id) {
    return question{std::move(id), {"Province", "Province"}, "choice", {{"on", {"Ontario", ""}}, {"qc", {"Quebec", "Québec"}}}, false};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event)

BOOST_AUTO_TEST_CASE(complete_events_of_each_format_are_valid) {
    expect_errors(in_person_event(), {});
    expect_errors(online_event(), {});
    expect_errors(hybrid_event(), {});
}

BOOST_AUTO_TEST_CASE(title_is_required_in_one_language_and_texts_have_limits) {
    auto e = in_person_event();
    e.title = {};
    expect_errors(e, {"title"});
    e.title = {"", "Sommet"};
    expect_errors(e, {});
    e.title = {std::string(301, 'x'), std::string(301, 'y')};
    expect_errors(e, {"title.en", "title.fr"});
    e = in_person_event();
    e.summary.fr = std::string(2001, 's');
    expect_errors(e, {"summary.fr"});
    e = in_person_event();
    e.description.en = std::string(60001, 'd');
    expect_errors(e, {"description.en"});
}

BOOST_AUTO_TEST_CASE(format_timezone_and_times) {
    auto e = in_person_event();
    e.format = "webinar";
    auto errors = validate_event(e);
    BOOST_TEST(errors.contains("format"));
    e = in_person_event();
    e.timezone = "America/Springfield";
    expect_errors(e, {"timezone"});
    e = in_person_event();
    e.ends_at = e.starts_at;
    expect_errors(e, {"ends_at"});
    e.ends_at = e.starts_at - std::chrono::hours(1);
    expect_errors(e, {"ends_at"});
}

BOOST_AUTO_TEST_CASE(venue_is_required_unless_online) {
    auto e = in_person_event();
    e.where.reset();
    expect_errors(e, {"venue"});
    e = hybrid_event();
    e.where.reset();
    expect_errors(e, {"venue"});
    e = in_person_event();
    e.where->name.clear();
    expect_errors(e, {"venue.name"});
    e = in_person_event();
    e.where->city = std::string(301, 'c');
    e.where->postal_code = std::string(301, 'p');
    expect_errors(e, {"venue.city", "venue.postal_code"});
    e = online_event();
    expect_errors(e, {});
    e.where = venue{"Studio", "", "", "", ""};  // an online event may still name where it is broadcast from
    expect_errors(e, {});
}

BOOST_AUTO_TEST_CASE(capacity_per_mode) {
    auto e = in_person_event();
    e.capacity_in_person = -1;
    expect_errors(e, {"capacity.in_person"});
    e.capacity_in_person = 1'000'001;
    expect_errors(e, {"capacity.in_person"});
    e.capacity_in_person = 1'000'000;
    expect_errors(e, {});
    e.capacity_in_person = 0;
    expect_errors(e, {});
    e.capacity_online = 10;
    expect_errors(e, {"capacity.online"});

    e = online_event();
    e.capacity_in_person = 5;
    expect_errors(e, {"capacity.in_person"});
    e = online_event();
    e.capacity_online = -5;
    expect_errors(e, {"capacity.online"});

    e = hybrid_event();
    e.capacity_in_person = 10;
    e.capacity_online = 10;
    expect_errors(e, {});
}

BOOST_AUTO_TEST_CASE(registration_window_must_close_after_it_opens) {
    auto e = in_person_event();
    e.registration.opens_at = at("2025-10-01T00:00:00Z");
    e.registration.closes_at = at("2025-09-01T00:00:00Z");
    expect_errors(e, {"registration.closes_at"});
    e.registration.closes_at = e.registration.opens_at;
    expect_errors(e, {"registration.closes_at"});
    e.registration.closes_at = at("2025-11-21T00:00:00Z");
    expect_errors(e, {});
    e.registration.opens_at.reset();
    expect_errors(e, {});
}

BOOST_AUTO_TEST_CASE(languages_are_en_or_fr_once_each) {
    auto e = in_person_event();
    e.languages = {};
    expect_errors(e, {"languages"});
    e.languages = {"en", "de"};
    expect_errors(e, {"languages[1]"});
    e.languages = {"fr", "fr"};
    expect_errors(e, {"languages"});
    e.languages = {"fr"};
    expect_errors(e, {});
}

BOOST_AUTO_TEST_CASE(questions_rules) {
    auto e = in_person_event();
    e.questions = {question{"profession", {"Profession", ""}, "text", {}, true}, choice_question("province"),
                   question{"interests", {"Interests", ""}, "multi", {{"jobs", {"Jobs", ""}}, {"licensing", {"Licensing", ""}}}, false},
                   question{"photo_ok", {"Photos?", ""}, "boolean", {}, false}};
    expect_errors(e, {});

    auto bad = e;
    bad.questions[0].id = "has space";
    expect_errors(bad, {"questions[0].id"});
    bad = e;
    bad.questions[1].id = "profession";
    expect_errors(bad, {"questions[1].id"});
    bad = e;
    bad.questions[0].id = std::string(65, 'q');
    expect_errors(bad, {"questions[0].id"});
    bad = e;
    bad.questions[0].label = {};
    expect_errors(bad, {"questions[0].label"});
    bad = e;
    bad.questions[0].type = "date";
    expect_errors(bad, {"questions[0].type"});
    bad = e;
    bad.questions[1].options.clear();
    expect_errors(bad, {"questions[1].options"});
    bad = e;
    bad.questions[0].options = {{"a", {"A", ""}}};
    expect_errors(bad, {"questions[0].options"});
    bad = e;
    bad.questions[2].options[1].id = "jobs";
    expect_errors(bad, {"questions[2].options[1].id"});
    bad = e;
    bad.questions[2].options[0].id = "no/slash";
    expect_errors(bad, {"questions[2].options[0].id"});
    bad = e;
    bad.questions[1].options[0].label = {};
    expect_errors(bad, {"questions[1].options[0].label"});

    bad = in_person_event();
    for (int i = 0; i < 51; ++i) bad.questions.push_back(choice_question("q" + std::to_string(i)));
    expect_errors(bad, {"questions"});
}

BOOST_AUTO_TEST_CASE(speakers_and_sessions) {
    auto e = in_person_event();
    e.speakers = {speaker{"amina", "Dr. Amina Diallo", {"Family physician", "Médecin de famille"}, "Health Force Ontario"},
                  speaker{"li-wei", "Li Wei", {}, ""}};
    e.sessions = {agenda_session{{"Opening", "Ouverture"}, at("2025-11-22T14:00:00Z"), at("2025-11-22T14:30:00Z"), "Hall A", {"amina"}},
                  agenda_session{{"Licensing panel", ""}, at("2025-11-22T15:00:00Z"), at("2025-11-22T16:00:00Z"), "", {"amina", "li-wei"}}};
    expect_errors(e, {});

    auto bad = e;
    bad.sessions[1].speakers = {"amina", "nobody"};
    expect_errors(bad, {"sessions[1].speakers[1]"});
    bad = e;
    bad.sessions[0].title = {};
    expect_errors(bad, {"sessions[0].title"});
    bad = e;
    bad.sessions[0].ends_at = bad.sessions[0].starts_at;
    expect_errors(bad, {"sessions[0].ends_at"});
    bad = e;
    bad.sessions[0].room = std::string(201, 'r');
    expect_errors(bad, {"sessions[0].room"});

    bad = e;
    bad.speakers[1].id = "amina";
    // The duplicate id is reported, and li-wei no longer exists for the session that names it.
    expect_errors(bad, {"speakers[1].id", "sessions[1].speakers[1]"});
    bad = e;
    bad.speakers[0].name.clear();
    expect_errors(bad, {"speakers[0].name"});
    bad = e;
    bad.speakers[0].name = std::string(201, 'n');
    expect_errors(bad, {"speakers[0].name"});
    bad = e;
    bad.speakers[0].bio.fr = std::string(5001, 'b');
    expect_errors(bad, {"speakers[0].bio.fr"});
    bad = e;
    bad.speakers[1].affiliation = std::string(301, 'a');
    expect_errors(bad, {"speakers[1].affiliation"});
}

BOOST_AUTO_TEST_CASE(partners_roles_and_links) {
    auto e = in_person_event();
    e.partners = {partner{"Access Centre", "host", "https://www.healthforceontario.ca"}, partner{"WES", "sponsor", ""},
                  partner{"CAMH", "collaborator", "http://camh.ca"}, partner{"Local Library", "partner", ""}};
    expect_errors(e, {});
    auto bad = e;
    bad.partners[0].role = "friend";
    expect_errors(bad, {"partners[0].role"});
    bad = e;
    bad.partners[1].name.clear();
    expect_errors(bad, {"partners[1].name"});
    for (const char* url : {"javascript:alert(1)", "ftp://files.example.org", "https://", "https://exa mple.org", "//example.org",
                            "https://example.org/\"onmouseover=\"x", "data:text/html,hi"}) {
        BOOST_TEST_CONTEXT(url) {
            bad = e;
            bad.partners[2].url = url;
            expect_errors(bad, {"partners[2].url"});
        }
    }
}

BOOST_AUTO_TEST_CASE(online_provider_rules) {
    auto e = online_event();
    e.online.provider = "teams";
    expect_errors(e, {"online.provider", "online.join_url"});
    e.online.join_url.clear();
    expect_errors(e, {"online.provider"});

    e = in_person_event();
    e.online.provider = "zoom";
    expect_errors(e, {"online.provider"});
    e.online.provider = "manual";
    expect_errors(e, {"online.provider"});

    e = hybrid_event();
    e.online.join_url = "https://zoom.us/j/1";  // only the manual provider takes a pasted link
    expect_errors(e, {"online.join_url"});
    e = hybrid_event();
    e.online.zoom_type = "webinar";
    expect_errors(e, {});
    e.online.zoom_type = "webcast";
    expect_errors(e, {"online.zoom_type"});

    e = online_event();
    e.online.join_url = "javascript:alert(1)";
    expect_errors(e, {"online.join_url"});
    e = online_event();
    e.online.passcode = std::string(65, 'p');
    expect_errors(e, {"online.passcode"});
    e = online_event();
    e.online.provider = "none";
    e.online.join_url.clear();
    expect_errors(e, {});

    e = online_event();
    e.recording_url = "javascript:alert(1)";
    expect_errors(e, {"recording_url"});
    e.recording_url = "https://youtu.be/abc";
    expect_errors(e, {});
}

BOOST_AUTO_TEST_CASE(slug_rules) {
    for (const char* good : {"summit-2025", "a", "2025-summit", "job-fair", "x1"}) BOOST_TEST(is_valid_slug(good), good);
    for (const char* bad : {"", "2025", "123-456", "-summit", "summit-", "Summit", "sommet-santé", "summit 2025", "summit_2025",
                            "summit/2025", "../etc"})
        BOOST_TEST(!is_valid_slug(bad), bad);
    BOOST_TEST(is_valid_slug(std::string(80, 'a')));
    BOOST_TEST(!is_valid_slug(std::string(81, 'a')));

    auto e = in_person_event();
    e.slug = "Bad Slug";
    expect_errors(e, {"slug"});
    e.slug = "good-slug";
    expect_errors(e, {});
    e.slug.clear();  // generated later from the title
    expect_errors(e, {});
}

BOOST_AUTO_TEST_CASE(slugify_folds_accents_and_joins_words) {
    BOOST_TEST(slugify("Annual IEHP Summit 2025") == "annual-iehp-summit-2025");
    BOOST_TEST(slugify("Journée d'accueil : Œuvres & Carrières") == "journee-d-accueil-oeuvres-carrieres");
    BOOST_TEST(slugify("Ça marche! Être prêt — à l'emploi") == "ca-marche-etre-pret-a-l-emploi");
    BOOST_TEST(slugify("ÉLAN Ñandú Ærö Çà") == "elan-nandu-aero-ca");
    BOOST_TEST(slugify("  Leading and trailing  ") == "leading-and-trailing");
    BOOST_TEST(slugify("Salon de l'emploi — Santé / Health Job Fair") == "salon-de-l-emploi-sante-health-job-fair");
}

BOOST_AUTO_TEST_CASE(slugify_never_returns_an_invalid_slug) {
    BOOST_TEST(slugify("2025") == "event-2025");
    BOOST_TEST(slugify("2025 / 2026") == "event-2025-2026");
    BOOST_TEST(slugify("") == "event");
    BOOST_TEST(slugify("!!!") == "event");
    BOOST_TEST(slugify("健康峰会") == "event");
    std::string long_title;
    for (int i = 0; i < 40; ++i) long_title += "Sommet été ";
    for (const std::string& title : {std::string("2025"), std::string(""), long_title, std::string("a-"), std::string("-a-"),
                                     std::string("\xff\xfe broken utf-8 \xc3"), std::string(200, '-') + "x"}) {
        std::string s = slugify(title);
        BOOST_TEST(is_valid_slug(s), "slugify(" << title << ") = " << s);
        BOOST_TEST(s.size() <= 80u);
    }
}

BOOST_AUTO_TEST_CASE(http_urls) {
    BOOST_TEST(is_http_url("https://example.org"));
    BOOST_TEST(is_http_url("http://example.org/path?q=1#x"));
    BOOST_TEST(!is_http_url("https://"));
    BOOST_TEST(!is_http_url("HTTPS://example.org"));
    BOOST_TEST(!is_http_url("https://example.org/<script>"));
    BOOST_TEST(!is_http_url("https://example.org/a\\b"));
    BOOST_TEST(!is_http_url("https://example.org/\n"));
    BOOST_TEST(!is_http_url("https://" + std::string(2000, 'a')));
}

BOOST_AUTO_TEST_CASE(modes) {
    BOOST_TEST(mode_name(mode::in_person) == std::string("in_person"));
    BOOST_TEST(mode_name(mode::online) == std::string("online"));
    BOOST_TEST((parse_mode("online") == mode::online));
    BOOST_TEST(!parse_mode("hybrid").has_value());
    BOOST_TEST(!parse_mode("Online").has_value());
    BOOST_TEST(in_person_event().has_mode(mode::in_person));
    BOOST_TEST(!in_person_event().has_mode(mode::online));
    BOOST_TEST(!online_event().has_mode(mode::in_person));
    BOOST_TEST(hybrid_event().has_mode(mode::in_person));
    BOOST_TEST(hybrid_event().has_mode(mode::online));
    seat_counts over{10, 12, 0};
    BOOST_TEST(over.remaining() == 0);
    BOOST_TEST((seat_counts{10, 3, 0}.remaining() == 7));
}

BOOST_AUTO_TEST_CASE(bilingual_text_falls_back_to_the_other_language) {
    bilingual t{"Summit", ""};
    BOOST_TEST(t.in("fr") == "Summit");
    bilingual f{"", "Sommet"};
    BOOST_TEST(f.in("en") == "Sommet");
    bilingual both{"Summit", "Sommet"};
    BOOST_TEST(both.in("fr") == "Sommet");
    BOOST_TEST(both.in("de") == "Summit");
}

BOOST_AUTO_TEST_SUITE_END()
