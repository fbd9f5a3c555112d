// Registration rules: email forms, normalisation, answers by question type, the window, seat placement.
#include "core/domain/registration.hpp"
#include "core/domain/registration_record.hpp"

#include <boost/test/unit_test.hpp>

using namespace ensemble::core;
using json = nlohmann::json;

namespace {

event_record published_event() {
    event_record e;
    e.id = 1;
    e.status = "published";
    auto& s = e.spec;
    s.title = {"Hybrid Seminar", "Séminaire hybride"};
    s.format = "hybrid";
    s.timezone = "America/Toronto";
    s.starts_at = now() + std::chrono::hours(24 * 30);
    s.ends_at = s.starts_at + std::chrono::hours(3);
    s.where = venue{"Library", "", "Toronto", "ON", ""};
    s.capacity_in_person = 10;
    s.capacity_online = 10;
    s.languages = {"fr", "en"};
    s.questions = {
        question{"profession", {"Profession", ""}, "text", {}, true},
        question{"province", {"Province", ""}, "choice", {{"on", {"Ontario", ""}}, {"qc", {"Quebec", ""}}}, false},
        question{"interests", {"Interests", ""}, "multi", {{"jobs", {"Jobs", ""}}, {"licensing", {"Licensing", ""}}, {"mentors", {"Mentors", ""}}}, false},
        question{"photo_consent", {"I accept photos", ""}, "boolean", {}, true},
        question{"newsletter", {"Newsletter", ""}, "boolean", {}, false},
    };
    return e;
}

registration_request good_request() {
    registration_request r;
    r.name = "  Amina Diallo ";
    r.email = " Amina.Diallo@Example.ORG\t";
    r.mode = "in_person";
    r.language = "en";
    r.answers = {{"profession", "  Family physician "}, {"photo_consent", true}};
    r.consent = true;
    return r;
}

field_errors errors_of(const event_record& e, const registration_request& r, instant at = now()) {
    auto checked = check_registration(e, r, at);
    BOOST_REQUIRE_MESSAGE(!checked.has_value(), "expected the request to be refused");
    BOOST_REQUIRE(checked.error().code == errc::validation);
    return checked.error().fields;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registration)

BOOST_AUTO_TEST_CASE(email_forms) {
    for (const char* good : {"a@b.co", "first.last+tag@example.org", "o'brien@example.ca", "x_y-z@sub.domain.example.com",
                             "marie@hôpital.ca", "UPPER@EXAMPLE.ORG"})
        BOOST_TEST(is_valid_email(good), good);
    for (const char* bad : {"", "a", "a@", "@b.co", "a@b", "a@@b.co", "a b@c.co", "a@b..co", ".a@b.co", "a.@b.co", "a..b@c.co",
                            "a@.b.co", "a@b.co.", "a@b_c.com", "<a@b.co>", "a@b.co>", "\"a\"@b.co", "a(comment)@b.co",
                            "a@b.co\n", "a;b@c.co", "a,b@c.co", "a\\b@c.co", "a@[127.0.0.1]"})
        BOOST_TEST(!is_valid_email(bad), bad);
    BOOST_TEST(!is_valid_email(std::string(65, 'a') + "@b.co"));
    BOOST_TEST(is_valid_email(std::string(64, 'a') + "@b.co"));
    BOOST_TEST(!is_valid_email("a@" + std::string(250, 'b') + ".co"));
}

BOOST_AUTO_TEST_CASE(trim_and_case_normalisation) {
    BOOST_TEST(trim("  a b \t\r\n") == "a b");
    BOOST_TEST(trim("") == "");
    BOOST_TEST(trim(" \t ") == "");
    BOOST_TEST(normalize_email("  Marie.Curie@Example.ORG \t") == "marie.curie@example.org");
    BOOST_TEST(normalize_email("marie.curie@example.org") == normalize_email(" MARIE.CURIE@EXAMPLE.ORG "));
}

BOOST_AUTO_TEST_CASE(clean_text_rejects_controls_and_broken_utf8) {
    BOOST_TEST(is_clean_text("Élodie Côté 👩‍⚕️"));
    BOOST_TEST(is_clean_text("line one\nline two\ttab\r\n"));
    BOOST_TEST(!is_clean_text(std::string("nul\0byte", 8)));
    BOOST_TEST(!is_clean_text("bell\x07"));
    BOOST_TEST(!is_clean_text("del\x7f"));
    BOOST_TEST(!is_clean_text("\xc3"));              // truncated
    BOOST_TEST(!is_clean_text("\xc0\xaf"));          // overlong '/'
    BOOST_TEST(!is_clean_text("\xed\xa0\x80"));      // a UTF-16 surrogate
    BOOST_TEST(!is_clean_text("\xf4\x90\x80\x80"));  // beyond U+10FFFF
    BOOST_TEST(!is_clean_text("\xff"));
    BOOST_TEST(!is_clean_text("\xc3\x28"));  // bad continuation
}

BOOST_AUTO_TEST_CASE(a_good_request_is_normalised) {
    auto e = published_event();
    auto r = good_request();
    r.answers["interests"] = {"jobs", "mentors", "jobs"};
    r.answers["province"] = "qc";
    r.answers["unknown_question"] = "dropped";
    auto checked = check_registration(e, r, now());
    BOOST_TEST_REQUIRE(checked.has_value());
    BOOST_TEST(checked->name == "Amina Diallo");
    BOOST_TEST(checked->email == "Amina.Diallo@Example.ORG");
    BOOST_TEST(checked->email_norm == "amina.diallo@example.org");
    BOOST_TEST((checked->mode == mode::in_person));
    BOOST_TEST(checked->language == "en");
    BOOST_TEST(checked->answers["profession"] == "Family physician");
    BOOST_TEST(checked->answers["interests"] == json({"jobs", "mentors"}));
    BOOST_TEST(checked->answers["province"] == "qc");
    BOOST_TEST(checked->answers["photo_consent"] == true);
    BOOST_TEST(!checked->answers.contains("unknown_question"));
    BOOST_TEST(!checked->answers.contains("newsletter"));
}

BOOST_AUTO_TEST_CASE(language_defaults_to_the_events_first_language) {
    auto e = published_event();
    auto r = good_request();
    r.language.clear();
    BOOST_TEST(check_registration(e, r, now())->language == "fr");
    r.language = "de";
    BOOST_TEST(errors_of(e, r).contains("language"));
}

BOOST_AUTO_TEST_CASE(name_email_mode_and_consent_rules) {
    auto e = published_event();
    auto r = good_request();
    r.name = "   ";
    BOOST_TEST(errors_of(e, r).contains("name"));
    r.name = "Two\nLines";
    BOOST_TEST(errors_of(e, r).contains("name"));
    r.name = std::string(201, 'n');
    BOOST_TEST(errors_of(e, r).contains("name"));
    r.name = "Bad\x01Name";
    BOOST_TEST(errors_of(e, r).contains("name"));

    r = good_request();
    r.email = "";
    BOOST_TEST(errors_of(e, r)["email"] == "is required");
    for (const char* bad : {"not-an-email", "a@b", "amina@example..org", "amina @example.org"}) {
        r.email = bad;
        BOOST_TEST(errors_of(e, r).contains("email"), bad);
    }

    r = good_request();
    r.mode = "";
    BOOST_TEST(errors_of(e, r).contains("mode"));
    r.mode = "hybrid";
    BOOST_TEST(errors_of(e, r).contains("mode"));
    r.mode = "ONLINE";
    BOOST_TEST(errors_of(e, r).contains("mode"));
    auto in_person_only = published_event();
    in_person_only.spec.format = "in_person";
    in_person_only.spec.capacity_online = 0;
    r.mode = "online";
    BOOST_TEST(errors_of(in_person_only, r).contains("mode"));

    r = good_request();
    r.consent = false;
    BOOST_TEST(errors_of(e, r).contains("consent"));
}

BOOST_AUTO_TEST_CASE(answers_by_question_type) {
    auto e = published_event();
    auto with = [](const char* q, json value) {
        auto r = good_request();
        r.answers[q] = std::move(value);
        return r;
    };
    BOOST_TEST(errors_of(e, with("profession", 42))["answers.profession"] == "must be text");
    BOOST_TEST(errors_of(e, with("profession", std::string(2001, 'x'))).contains("answers.profession"));
    BOOST_TEST(errors_of(e, with("profession", "nurse\x01")).contains("answers.profession"));
    BOOST_TEST(errors_of(e, with("province", "bc")).contains("answers.province"));
    BOOST_TEST(errors_of(e, with("province", json::array({"on"}))).contains("answers.province"));
    BOOST_TEST(errors_of(e, with("province", 1)).contains("answers.province"));
    BOOST_TEST(errors_of(e, with("interests", "jobs")).contains("answers.interests"));
    BOOST_TEST(errors_of(e, with("interests", json::array({"jobs", "golf"}))).contains("answers.interests"));
    BOOST_TEST(errors_of(e, with("interests", json::array({"jobs", 3}))).contains("answers.interests"));
    BOOST_TEST(errors_of(e, with("photo_consent", "yes")).contains("answers.photo_consent"));
    BOOST_TEST(errors_of(e, with("photo_consent", false))["answers.photo_consent"] == "must be accepted");
    BOOST_TEST(errors_of(e, with("newsletter", "no")).contains("answers.newsletter"));
    // An optional boolean may be false.
    BOOST_TEST(check_registration(e, with("newsletter", false), now()).has_value());
    // An optional multi may be empty.
    BOOST_TEST(check_registration(e, with("interests", json::array()), now()).has_value());
}

BOOST_AUTO_TEST_CASE(required_answers) {
    auto e = published_event();
    auto r = good_request();
    r.answers.erase("profession");
    BOOST_TEST(errors_of(e, r)["answers.profession"] == "is required");
    r.answers["profession"] = "   ";
    BOOST_TEST(errors_of(e, r)["answers.profession"] == "is required");
    r.answers["profession"] = nullptr;
    BOOST_TEST(errors_of(e, r)["answers.profession"] == "is required");
    r = good_request();
    r.answers.erase("photo_consent");
    BOOST_TEST(errors_of(e, r)["answers.photo_consent"] == "is required");

    e.spec.questions[2].required = true;
    r = good_request();
    r.answers["interests"] = json::array();
    BOOST_TEST(errors_of(e, r)["answers.interests"] == "is required");

    // Every problem is reported at once.
    r = registration_request{};
    auto errors = errors_of(e, r);
    for (const char* f : {"name", "email", "mode", "consent", "answers.profession", "answers.photo_consent", "answers.interests"})
        BOOST_TEST(errors.contains(f), f);
}

BOOST_AUTO_TEST_CASE(check_answers_keeps_only_the_events_questions) {
    auto e = published_event();
    json cleaned;
    auto errors = check_answers(e.spec, {{"profession", " RN "}, {"photo_consent", true}, {"other", 1}}, cleaned);
    BOOST_TEST(errors.empty());
    BOOST_TEST(cleaned == json({{"profession", "RN"}, {"photo_consent", true}}));
}

BOOST_AUTO_TEST_CASE(registration_window_draft_cancelled_and_over) {
    auto e = published_event();
    auto r = good_request();
    auto t = now();
    e.spec.registration.opens_at = t + std::chrono::hours(1);
    BOOST_TEST(errors_of(e, r, t)["event"].find("not opened") != std::string::npos);
    BOOST_TEST(check_registration(e, r, t + std::chrono::hours(1)).has_value());

    e = published_event();
    e.spec.registration.closes_at = t;
    BOOST_TEST(errors_of(e, r, t)["event"].find("closed") != std::string::npos);
    BOOST_TEST(check_registration(e, r, t - std::chrono::milliseconds(1)).has_value());

    e = published_event();
    BOOST_TEST(errors_of(e, r, e.spec.ends_at)["event"].find("over") != std::string::npos);
    BOOST_TEST(check_registration(e, r, e.spec.starts_at).has_value());  // late arrivals during the event

    e = published_event();
    e.status = "cancelled";
    BOOST_TEST(errors_of(e, r)["event"].find("cancelled") != std::string::npos);

    e = published_event();
    e.status = "draft";
    auto draft = check_registration(e, r, t);
    BOOST_TEST_REQUIRE(!draft.has_value());
    BOOST_TEST((draft.error().code == errc::not_found));
}

BOOST_AUTO_TEST_CASE(request_body_types) {
    auto ok = registration_request_from_json(
        {{"name", "A"}, {"email", "a@b.co"}, {"mode", "online"}, {"waitlist", true}, {"consent", true}, {"answers", {{"q", 1}}}});
    BOOST_TEST_REQUIRE(ok.has_value());
    BOOST_TEST(ok->waitlist);
    BOOST_TEST(ok->consent);
    BOOST_TEST(ok->answers == json({{"q", 1}}));

    auto bad = registration_request_from_json({{"name", 5}, {"email", true}, {"waitlist", "yes"}, {"consent", 1}, {"answers", {1, 2}}});
    BOOST_TEST_REQUIRE(!bad.has_value());
    for (const char* f : {"name", "email", "waitlist", "consent", "answers"}) BOOST_TEST(bad.error().fields.contains(f), f);
    BOOST_TEST(registration_request_from_json(json::array()).error().fields.contains("body"));
    // Absent and null fields are simply missing.
    auto empty = registration_request_from_json({{"name", nullptr}});
    BOOST_TEST_REQUIRE(empty.has_value());
    BOOST_TEST(!empty->consent);
}

BOOST_AUTO_TEST_CASE(seat_placement) {
    BOOST_TEST((place({10, 9, 0}, false, true) == seat_outcome::confirm));
    BOOST_TEST((place({10, 9, 0}, true, true) == seat_outcome::confirm));
    BOOST_TEST((place({10, 10, 0}, true, true) == seat_outcome::waitlist));
    BOOST_TEST((place({10, 10, 0}, true, false) == seat_outcome::full));
    BOOST_TEST((place({10, 10, 0}, false, true) == seat_outcome::full));
    BOOST_TEST((place({0, 0, 0}, false, true) == seat_outcome::full));
    BOOST_TEST((place({0, 0, 0}, true, true) == seat_outcome::waitlist));
}

BOOST_AUTO_TEST_CASE(statuses_and_search_keys) {
    for (auto s : {registration_status::confirmed, registration_status::waitlisted, registration_status::cancelled})
        BOOST_TEST((parse_status(status_name(s)) == s));
    BOOST_TEST(!parse_status("pending").has_value());
    BOOST_TEST(fold_for_search("Élodie CÔTÉ") == "elodie cote");
    BOOST_TEST(search_key("Zoë Ng", "Zoe.Ng@Example.org") == "zoe ng zoe.ng@example.org");
}

BOOST_AUTO_TEST_SUITE_END()
