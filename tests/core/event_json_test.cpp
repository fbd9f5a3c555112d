// The event body codec: a full round trip, field paths in errors, and what each view may show.
#include "core/domain/event_json.hpp"

#include <nlohmann/json.hpp>

#include <boost/test/unit_test.hpp>

using namespace ensemble::core;
using json = nlohmann::json;

namespace {

json full_body() {
    return json::parse(R"({
      "title": {"en": "Annual IEHP Summit", "fr": "Sommet annuel des PSFE"},
      "summary": {"en": "A day of panels", "fr": "Une journée de panels"},
      "description": {"en": "**Welcome** to the summit", "fr": "Bienvenue"},
      "slug": "summit-2025",
      "format": "hybrid",
      "timezone": "America/Toronto",
      "starts_at": "2025-11-22T09:00:00",
      "ends_at": "2025-11-22T17:00:00-05:00",
      "venue": {"name": "Metro Toronto Convention Centre", "address": "255 Front St W", "city": "Toronto",
                "province": "ON", "postal_code": "M5V 2W6"},
      "capacity": {"in_person": 300, "online": 500},
      "registration": {"opens_at": "2025-09-01T09:00:00", "closes_at": "2025-11-21T23:59:00", "waitlist": false},
      "languages": ["en", "fr"],
      "questions": [
        {"id": "profession", "label": {"en": "Profession", "fr": "Profession"}, "type": "text", "required": true},
        {"id": "province", "label": {"en": "Province"}, "type": "choice",
         "options": [{"id": "on", "label": {"en": "Ontario"}}, {"id": "qc", "label": {"en": "Quebec", "fr": "Québec"}}]},
        {"id": "consent_photos", "label": {"fr": "Photos"}, "type": "boolean"}
      ],
      "sessions": [
        {"title": {"en": "Opening"}, "starts_at": "2025-11-22T09:00:00", "ends_at": "2025-11-22T09:30:00", "room": "Hall A",
         "speakers": ["amina"]}
      ],
      "speakers": [{"id": "amina", "name": "Dr. Amina Diallo", "bio": {"en": "Family physician"}, "affiliation": "HFO"}],
      "partners": [{"name": "Access Centre", "role": "host", "url": "https://www.healthforceontario.ca"}],
      "online": {"provider": "manual", "join_url": "https://us02web.zoom.us/j/123456789?pwd=secret", "passcode": "s3cret-pass"},
      "recording_url": "https://youtu.be/abc"
    })");
}

event_spec spec_of(const json& body) {
    auto r = event_spec_from_json(body);
    if (!r) {
        std::string fields;
        for (const auto& [k, v] : r.error().fields) fields += k + ": " + v + "; ";
        BOOST_FAIL("the body does not read: " << fields);
    }
    return *r;
}

field_errors errors_of(const json& body) {
    auto r = event_spec_from_json(body);
    BOOST_REQUIRE_MESSAGE(!r.has_value(), "expected a validation failure for " << body.dump());
    BOOST_REQUIRE(r.error().code == errc::validation);
    return r.error().fields;
}

instant utc_at(const char* t) { return *parse_instant(t, "UTC"); }

bool mentions_key(const json& j, const std::string& key) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it.key() == key || mentions_key(it.value(), key)) return true;
    } else if (j.is_array()) {
        for (const auto& v : j)
            if (mentions_key(v, key)) return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event_json)

BOOST_AUTO_TEST_CASE(a_full_body_reads_into_the_spec) {
    event_spec e = spec_of(full_body());
    BOOST_TEST(e.title.en == "Annual IEHP Summit");
    BOOST_TEST(e.title.fr == "Sommet annuel des PSFE");
    BOOST_TEST(e.slug == "summit-2025");
    BOOST_TEST(e.format == "hybrid");
    BOOST_TEST(to_ms(e.starts_at) == to_ms(utc_at("2025-11-22T14:00:00Z")));
    BOOST_TEST(to_ms(e.ends_at) == to_ms(utc_at("2025-11-22T22:00:00Z")));
    BOOST_TEST_REQUIRE(e.where.has_value());
    BOOST_TEST(e.where->postal_code == "M5V 2W6");
    BOOST_TEST(e.capacity_in_person == 300);
    BOOST_TEST(e.capacity_online == 500);
    BOOST_TEST(!e.registration.waitlist);
    BOOST_TEST(to_ms(*e.registration.opens_at) == to_ms(utc_at("2025-09-01T13:00:00Z")));  // EDT in September
    BOOST_TEST(e.questions.size() == 3u);
    BOOST_TEST(e.questions[0].required);
    BOOST_TEST(!e.questions[1].required);
    BOOST_TEST(e.questions[1].options[1].label.fr == "Québec");
    BOOST_TEST(e.sessions[0].speakers == std::vector<std::string>{"amina"});
    BOOST_TEST(e.speakers[0].affiliation == "HFO");
    BOOST_TEST(e.partners[0].role == "host");
    BOOST_TEST(e.online.provider == "manual");
    BOOST_TEST(e.online.join_url == "https://us02web.zoom.us/j/123456789?pwd=secret");
    BOOST_TEST(e.online.passcode == "s3cret-pass");
    BOOST_TEST(e.recording_url == "https://youtu.be/abc");
}

BOOST_AUTO_TEST_CASE(spec_to_json_to_spec_round_trips) {
    event_spec first = spec_of(full_body());
    json written = event_spec_to_json(first);
    BOOST_TEST(written["starts_at"] == "2025-11-22T09:00:00-05:00");
    BOOST_TEST(written["registration"]["opens_at"] == "2025-09-01T09:00:00-04:00");
    BOOST_TEST(written["online"]["join_url"] == first.online.join_url);  // the organizer's form keeps the link
    event_spec second = spec_of(written);
    BOOST_TEST(event_spec_to_json(second) == written);

    BOOST_TEST(second.slug == first.slug);
    BOOST_TEST(second.title.fr == first.title.fr);
    BOOST_TEST(second.description.en == first.description.en);
    BOOST_TEST(to_ms(second.starts_at) == to_ms(first.starts_at));
    BOOST_TEST(to_ms(second.ends_at) == to_ms(first.ends_at));
    BOOST_TEST(to_ms(*second.registration.closes_at) == to_ms(*first.registration.closes_at));
    BOOST_TEST(second.registration.waitlist == first.registration.waitlist);
    BOOST_TEST(second.where->name == first.where->name);
    BOOST_TEST(second.capacity_online == first.capacity_online);
    BOOST_TEST(second.languages == first.languages);
    BOOST_TEST(second.questions.size() == first.questions.size());
    BOOST_TEST(second.questions[1].options[0].id == "on");
    BOOST_TEST(second.questions[2].label.fr == "Photos");
    BOOST_TEST(to_ms(second.sessions[0].ends_at) == to_ms(first.sessions[0].ends_at));
    BOOST_TEST(second.speakers[0].bio.en == "Family physician");
    BOOST_TEST(second.partners[0].url == first.partners[0].url);
    BOOST_TEST(second.online.passcode == first.online.passcode);
    BOOST_TEST(second.recording_url == first.recording_url);
}

BOOST_AUTO_TEST_CASE(an_online_event_without_venue_round_trips) {
    json body = full_body();
    body["format"] = "online";
    body.erase("venue");
    body["capacity"] = {{"online", 1000}};
    body["slug"] = "webinar";
    event_spec first = spec_of(body);
    BOOST_TEST(!first.where.has_value());
    BOOST_TEST(first.capacity_in_person == 0);
    event_spec second = spec_of(event_spec_to_json(first));
    BOOST_TEST(!second.where.has_value());
    BOOST_TEST(event_spec_to_json(second) == event_spec_to_json(first));
}

BOOST_AUTO_TEST_CASE(defaults_when_fields_are_absent) {
    json body = {{"title", "Job Fair"},
                 {"format", "online"},
                 {"timezone", "America/Halifax"},
                 {"starts_at", "2025-07-15T10:00:00"},
                 {"ends_at", "2025-07-15T12:00:00"}};
    event_spec e = spec_of(body);
    BOOST_TEST(e.title.en == "Job Fair");
    BOOST_TEST(e.languages == std::vector<std::string>{"en"});
    BOOST_TEST(e.registration.waitlist);
    BOOST_TEST(e.online.provider == "none");
    BOOST_TEST(to_ms(e.starts_at) == to_ms(utc_at("2025-07-15T13:00:00Z")));  // ADT
    BOOST_TEST((is_valid_slug(e.slug) || e.slug.empty()));

    body["title"] = {{"fr", "Salon de l'emploi"}};
    BOOST_TEST(spec_of(body).languages == std::vector<std::string>{"fr"});
    body["title"] = {{"en", "Job Fair"}, {"fr", "Salon"}};
    BOOST_TEST((spec_of(body).languages == std::vector<std::string>{"en", "fr"}));
}

BOOST_AUTO_TEST_CASE(wrong_types_are_named_by_their_path) {
    auto check = [](json body, const std::string& path) {
        auto errors = errors_of(body);
        std::string all;
        for (const auto& [k, v] : errors) all += k + "; ";
        BOOST_TEST(errors.contains(path), "expected " << path << " in " << all);
    };
    auto body = full_body();
    body["title"] = 42;
    check(body, "title");
    body = full_body();
    body["title"] = {{"en", 42}};
    check(body, "title.en");
    body = full_body();
    body["capacity"]["in_person"] = "three hundred";
    check(body, "capacity.in_person");
    body = full_body();
    body["capacity"]["online"] = 2.5;
    check(body, "capacity.online");
    body = full_body();
    body["capacity"] = 10;
    check(body, "capacity");
    body = full_body();
    body["registration"]["opens_at"] = 1700000000;
    check(body, "registration.opens_at");
    body = full_body();
    body["registration"]["waitlist"] = "yes";
    check(body, "registration.waitlist");
    body = full_body();
    body["languages"] = "en";
    check(body, "languages");
    body = full_body();
    body["languages"] = {"en", 3};
    check(body, "languages[1]");
    body = full_body();
    body["questions"][1]["options"][1] = "qc";
    check(body, "questions[1].options[1]");
    body = full_body();
    body["questions"][0]["required"] = "yes";
    check(body, "questions[0].required");
    body = full_body();
    body["sessions"] = {5};
    check(body, "sessions[0]");
    body = full_body();
    body["sessions"][0]["speakers"] = {"amina", 7};
    check(body, "sessions[0].speakers[1]");
    body = full_body();
    body["speakers"][0]["name"] = 7;
    check(body, "speakers[0].name");
    body = full_body();
    body["partners"][0]["url"] = {{"href", "x"}};
    check(body, "partners[0].url");
    body = full_body();
    body["online"] = {{"provider", 3}};
    check(body, "online.provider");
    body = full_body();
    body["venue"] = "Toronto";
    check(body, "venue");
    body = full_body();
    body["questions"] = json::array();
    for (int i = 0; i < 51; ++i) body["questions"].push_back({{"id", "q" + std::to_string(i)}, {"label", "Q"}, {"type", "text"}});
    check(body, "questions");
}

BOOST_AUTO_TEST_CASE(required_fields_and_bad_times_are_named) {
    for (const char* key : {"format", "timezone", "starts_at", "ends_at"}) {
        auto body = full_body();
        body.erase(key);
        auto errors = errors_of(body);
        BOOST_TEST(errors.contains(key), key);
    }
    auto body = full_body();
    body["starts_at"] = "2025-11-02T01:30:00";
    body["ends_at"] = "2025-11-02T05:00:00";
    auto errors = errors_of(body);
    BOOST_TEST_REQUIRE(errors.contains("starts_at"));
    BOOST_TEST(errors["starts_at"].find("ambiguous") != std::string::npos);

    body = full_body();
    body["sessions"][0]["starts_at"] = "2025-03-09T02:30:00";
    errors = errors_of(body);
    BOOST_TEST_REQUIRE(errors.contains("sessions[0].starts_at"));
    BOOST_TEST(errors["sessions[0].starts_at"].find("does not exist") != std::string::npos);

    body = full_body();
    body["registration"]["closes_at"] = "next week";
    errors = errors_of(body);
    BOOST_TEST(errors.contains("registration.closes_at"));

    body = full_body();
    body["timezone"] = "America/Springfield";
    body["starts_at"] = "2025-11-22T09:00:00-05:00";
    body["ends_at"] = "2025-11-22T17:00:00-05:00";
    body["registration"] = {{"waitlist", true}};
    body["sessions"] = json::array();
    errors = errors_of(body);
    BOOST_TEST(errors.contains("timezone"));

    BOOST_TEST(errors_of(json::array()).contains("body"));
    BOOST_TEST(errors_of("summit").contains("body"));
}

BOOST_AUTO_TEST_CASE(every_problem_is_reported_at_once) {
    // A reading error (a wrong type) does not hide the rule failures of other fields.
    auto body = full_body();
    body.erase("title");
    body["capacity"]["online"] = "many";
    body["partners"][0]["role"] = "friend";
    auto errors = errors_of(body);
    BOOST_TEST(errors.contains("title"));
    BOOST_TEST(errors.contains("partners[0].role"));
    BOOST_TEST(errors["capacity.online"] == "must be a whole number");  // the reading error wins over a rule on the same field
    errors = errors_of({{"format", "online"}});
    for (const char* f : {"title", "timezone", "starts_at", "ends_at", "languages"}) BOOST_TEST(errors.contains(f), f);
    BOOST_TEST(errors["starts_at"] == "is required");
}

BOOST_AUTO_TEST_CASE(rule_failures_come_through_the_codec_with_paths) {
    auto body = full_body();
    body["format"] = "in_person";
    auto errors = errors_of(body);
    BOOST_TEST(errors.contains("capacity.online"));
    BOOST_TEST(errors.contains("online.provider"));

    body = full_body();
    body["sessions"][0]["speakers"] = {"ghost"};
    BOOST_TEST(errors_of(body).contains("sessions[0].speakers[0]"));
    body = full_body();
    body["slug"] = "Not A Slug";
    BOOST_TEST(errors_of(body).contains("slug"));
}

BOOST_AUTO_TEST_CASE(public_and_organizer_views_never_carry_the_join_link_or_passcode) {
    event_record rec;
    rec.id = 7;
    rec.status = "published";
    rec.spec = spec_of(full_body());
    rec.in_person = {300, 12, 3};
    rec.online = {500, 500, 9};
    for (auto view : {event_view::public_view, event_view::organizer_view}) {
        json j = event_to_json(rec, view);
        std::string text = j.dump();
        BOOST_TEST(!mentions_key(j, "join_url"));
        BOOST_TEST(!mentions_key(j, "passcode"));
        BOOST_TEST(text.find("123456789") == std::string::npos);
        BOOST_TEST(text.find("s3cret-pass") == std::string::npos);
        BOOST_TEST(j["id"] == 7);
        BOOST_TEST(j["status"] == "published");
        BOOST_TEST(j["seats"]["in_person"]["capacity"] == 300);
        BOOST_TEST(j["seats"]["in_person"]["taken"] == 12);
        BOOST_TEST(j["seats"]["in_person"]["remaining"] == 288);
        BOOST_TEST(j["seats"]["in_person"]["waitlisted"] == 3);
        BOOST_TEST(j["seats"]["online"]["remaining"] == 0);
        BOOST_TEST(j["starts_at"] == "2025-11-22T09:00:00-05:00");
        BOOST_TEST(j["timezone_abbreviation"] == "EST");
    }
    json organizer = event_to_json(rec, event_view::organizer_view);
    BOOST_TEST(organizer["online"]["has_join_url"] == true);
    BOOST_TEST(organizer["online"]["has_passcode"] == true);
    json pub = event_to_json(rec, event_view::public_view);
    BOOST_TEST(!pub.contains("owner_id"));
    BOOST_TEST(!pub["online"].contains("has_join_url"));
}

BOOST_AUTO_TEST_CASE(description_is_rendered_to_safe_html) {
    event_record rec;
    rec.status = "published";
    rec.spec = spec_of(full_body());
    rec.spec.description.en = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))";
    json j = event_to_json(rec, event_view::public_view);
    std::string html = j["description_html"]["en"];
    BOOST_TEST(html.find("<strong>Bold</strong>") != std::string::npos);
    BOOST_TEST(html.find("<script") == std::string::npos);
    BOOST_TEST(html.find("javascript:") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(registration_open_follows_status_window_and_end) {
    event_record rec;
    rec.spec = spec_of(full_body());
    auto t = now();
    rec.spec.starts_at = t + std::chrono::hours(24);
    rec.spec.ends_at = t + std::chrono::hours(30);
    rec.spec.registration.opens_at.reset();
    rec.spec.registration.closes_at.reset();
    rec.status = "draft";
    BOOST_TEST(event_to_json(rec, event_view::public_view)["registration"]["open"] == false);
    rec.status = "published";
    BOOST_TEST(event_to_json(rec, event_view::public_view)["registration"]["open"] == true);
    rec.spec.registration.opens_at = t + std::chrono::hours(1);
    BOOST_TEST(event_to_json(rec, event_view::public_view)["registration"]["open"] == false);
    rec.spec.registration.opens_at = t - std::chrono::hours(1);
    rec.spec.registration.closes_at = t - std::chrono::minutes(1);
    BOOST_TEST(event_to_json(rec, event_view::public_view)["registration"]["open"] == false);
    rec.spec.registration.closes_at.reset();
    rec.spec.ends_at = t - std::chrono::minutes(1);
    rec.spec.starts_at = t - std::chrono::hours(2);
    BOOST_TEST(event_to_json(rec, event_view::public_view)["registration"]["open"] == false);
    rec.status = "cancelled";
    rec.spec.ends_at = t + std::chrono::hours(30);
    BOOST_TEST(event_to_json(rec, event_view::public_view)["registration"]["open"] == false);
}

BOOST_AUTO_TEST_SUITE_END()
