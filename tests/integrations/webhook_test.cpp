// Zoom webhooks: signatures in constant time, stale timestamps, URL validation, participant events.
#include "integrations/zoom/webhook.hpp"

#include "core/security/crypto.hpp"

#include <boost/test/unit_test.hpp>

namespace in = ensemble::integrations;
namespace core = ensemble::core;
using namespace std::chrono_literals;

namespace {

const std::string secret = "zoom-secret-token";
const std::string body = R"({"event":"meeting.participant_joined","event_ts":1732270000000,"payload":{"account_id":"a","object":{"id":"85012345678","uuid":"u1==","participant":{"user_id":"16778240","user_name":"Ada","registrant_id":"reg-1","email":"ada@example.org","join_time":"2025-11-22T14:31:00Z","participant_uuid":"p-1"}}}})";

std::string seconds_of(core::instant t) { return std::to_string(core::to_ms(t) / 1000); }

}  // namespace

BOOST_AUTO_TEST_SUITE(webhook)

BOOST_AUTO_TEST_CASE(a_correct_signature_is_accepted) {
    auto at = core::now();
    std::string ts = seconds_of(at);
    std::string sig = in::webhook_signature(secret, ts, body);
    BOOST_TEST(sig.rfind("v0=", 0) == 0u);
    BOOST_TEST(sig == "v0=" + core::hmac_sha256_hex(secret, "v0:" + ts + ":" + body));
    BOOST_TEST((in::verify_webhook(secret, sig, ts, body, at) == in::webhook_check::ok));
    // Zoom's timestamp in milliseconds is read as well.
    std::string ms = std::to_string(core::to_ms(at));
    BOOST_TEST((in::verify_webhook(secret, in::webhook_signature(secret, ms, body), ms, body, at) == in::webhook_check::ok));
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused) {
    auto at = core::now();
    std::string ts = seconds_of(at);
    std::string sig = in::webhook_signature(secret, ts, body);
    std::string tampered = body;
    tampered[tampered.find("reg-1")] = 'R';
    BOOST_TEST((in::verify_webhook(secret, sig, ts, tampered, at) == in::webhook_check::bad_signature));
    BOOST_TEST((in::verify_webhook("other-secret", sig, ts, body, at) == in::webhook_check::bad_signature));
    std::string flipped = sig;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    BOOST_TEST((in::verify_webhook(secret, flipped, ts, body, at) == in::webhook_check::bad_signature));
    BOOST_TEST((in::verify_webhook(secret, "", ts, body, at) == in::webhook_check::missing_headers));
    BOOST_TEST((in::verify_webhook(secret, sig, "", body, at) == in::webhook_check::missing_headers));
    BOOST_TEST((in::verify_webhook("", sig, ts, body, at) == in::webhook_check::missing_headers));
    std::string old = seconds_of(at - 6min);
    BOOST_TEST((in::verify_webhook(secret, in::webhook_signature(secret, old, body), old, body, at) == in::webhook_check::stale_timestamp));
    std::string future = seconds_of(at + 6min);
    BOOST_TEST((in::verify_webhook(secret, in::webhook_signature(secret, future, body), future, body, at) == in::webhook_check::stale_timestamp));
    BOOST_TEST((in::verify_webhook(secret, sig, "12abc", body, at) == in::webhook_check::stale_timestamp));
    std::string recent = seconds_of(at - 4min);
    BOOST_TEST((in::verify_webhook(secret, in::webhook_signature(secret, recent, body), recent, body, at) == in::webhook_check::ok));
}

BOOST_AUTO_TEST_CASE(url_validation_is_answered_with_the_hmac_of_the_plain_token) {
    auto answer = in::url_validation_answer(secret, "qgg8vlvZRS6UYooatFL8Aw");
    BOOST_TEST(answer["plainToken"] == "qgg8vlvZRS6UYooatFL8Aw");
    BOOST_TEST(answer["encryptedToken"] == core::hmac_sha256_hex(secret, "qgg8vlvZRS6UYooatFL8Aw"));
    BOOST_TEST(answer["encryptedToken"].get<std::string>().size() == 64u);
}

BOOST_AUTO_TEST_CASE(participants_joining_and_leaving_are_read) {
    auto joined = in::read_participant_event(nlohmann::json::parse(body));
    BOOST_TEST_REQUIRE(joined.has_value());
    BOOST_TEST(joined->joined);
    BOOST_TEST(joined->zoom_id == "85012345678");
    BOOST_TEST(joined->registrant_id == "reg-1");
    BOOST_TEST(joined->participant_key == "registrant:reg-1");
    BOOST_TEST(core::format_utc(joined->at) == "2025-11-22T14:31:00Z");
    auto again = in::read_participant_event(nlohmann::json::parse(body));
    BOOST_TEST(again->delivery_key == joined->delivery_key);  // a redelivery is recognisable

    auto left = nlohmann::json::parse(body);
    left["event"] = "webinar.participant_left";
    left["payload"]["object"]["id"] = 85012345678LL;  // numeric ids are read too
    left["payload"]["object"]["participant"].erase("registrant_id");
    left["payload"]["object"]["participant"]["leave_time"] = "2025-11-22T15:10:00Z";
    auto l = in::read_participant_event(left);
    BOOST_TEST_REQUIRE(l.has_value());
    BOOST_TEST(!l->joined);
    BOOST_TEST(l->zoom_id == "85012345678");
    BOOST_TEST(l->participant_key == "email:ada@example.org");
    BOOST_TEST(core::format_utc(l->at) == "2025-11-22T15:10:00Z");
    BOOST_TEST(l->delivery_key != joined->delivery_key);

    BOOST_TEST(!in::read_participant_event(nlohmann::json::parse(R"({"event":"meeting.started","payload":{"object":{"id":"1"}}})")));
    BOOST_TEST(!in::read_participant_event(nlohmann::json::parse(R"({"event":"meeting.participant_joined","payload":{}})")));
    BOOST_TEST(!in::read_participant_event(nlohmann::json::parse("[]")));
}

BOOST_AUTO_TEST_SUITE_END()
