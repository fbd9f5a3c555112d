// Exponential backoff with full jitter, Retry-After in its three forms, and HTTP answers as outcomes.
#include "integrations/delivery/backoff.hpp"

#include "integrations/delivery/outcome.hpp"

#include <boost/test/unit_test.hpp>

namespace in = ensemble::integrations;
namespace core = ensemble::core;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(backoff)

BOOST_AUTO_TEST_CASE(full_jitter_stays_under_the_exponential_ceiling_and_the_cap) {
    in::backoff_policy p{10'000ms, 60'000ms};
    std::mt19937_64 rng(42);
    for (int attempt = 1; attempt <= 8; ++attempt) {
        long long ceiling = std::min<long long>(10'000LL << (attempt - 1), 60'000);
        long long highest = 0;
        for (int i = 0; i < 200; ++i) {
            long long d = in::full_jitter_delay(p, attempt, rng).count();
            BOOST_TEST(d >= 0);
            BOOST_TEST(d <= ceiling);
            highest = std::max(highest, d);
        }
        BOOST_TEST(highest > ceiling / 2);  // spread over the whole range, not a fixed delay
    }
    BOOST_TEST(in::full_jitter_delay(p, 60, rng).count() <= 60'000);  // no overflow for late attempts
}

BOOST_AUTO_TEST_CASE(retry_after_seconds_http_dates_and_iso_times) {
    auto at = *core::parse_instant("2025-11-22T10:00:00Z", "UTC");
    BOOST_TEST(core::to_ms(*in::parse_retry_after("120", at)) == core::to_ms(at + 120s));
    BOOST_TEST(core::to_ms(*in::parse_retry_after(" 0 ", at)) == core::to_ms(at));
    auto http_date = in::parse_retry_after("Sat, 22 Nov 2025 10:05:00 GMT", at);
    BOOST_TEST_REQUIRE(http_date.has_value());
    BOOST_TEST(core::to_ms(*http_date) == core::to_ms(at + 5min));
    auto iso = in::parse_retry_after("2025-11-23T00:00:00Z", at);
    BOOST_TEST_REQUIRE(iso.has_value());
    BOOST_TEST(core::format_utc(*iso) == "2025-11-23T00:00:00Z");
    BOOST_TEST(core::to_ms(*in::parse_retry_after("2025-11-21T00:00:00Z", at)) == core::to_ms(at));  // past: now
    BOOST_TEST(!in::parse_retry_after("soon", at).has_value());
    BOOST_TEST(!in::parse_retry_after("", at).has_value());
    BOOST_TEST(!in::parse_retry_after("-5", at).has_value());
    BOOST_TEST(core::format_utc(in::next_utc_midnight(at)) == "2025-11-23T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(the_next_attempt_honours_what_the_provider_asked) {
    in::backoff_policy p{1'000ms, 5'000ms};
    std::mt19937_64 rng(7);
    auto at = core::now();
    BOOST_TEST(core::to_ms(in::next_attempt_at(p, 1, at + 90s, at, rng)) == core::to_ms(at + 90s));
    auto next = in::next_attempt_at(p, 3, std::nullopt, at, rng);
    BOOST_TEST((next >= at && next <= at + 4s));
}

BOOST_AUTO_TEST_CASE(http_answers_map_to_outcomes) {
    using kind = in::delivery_outcome::kind;
    auto at = *core::parse_instant("2025-11-22T10:00:00Z", "UTC");
    in::http_reply ok;
    ok.status = 202;
    BOOST_TEST((in::outcome_of_http(ok, "SendGrid", at).what == kind::done));
    in::http_reply limited;
    limited.status = 429;
    limited.headers["retry-after"] = "30";
    auto o = in::outcome_of_http(limited, "SendGrid", at);
    BOOST_TEST((o.what == kind::retry));
    BOOST_TEST(core::to_ms(*o.not_before) == core::to_ms(at + 30s));
    in::http_reply daily;
    daily.status = 429;
    daily.headers["x-ratelimit-type"] = "Daily-limit";
    BOOST_TEST(core::format_utc(*in::outcome_of_http(daily, "Zoom", at).not_before) == "2025-11-23T00:00:00Z");
    in::http_reply broken;
    broken.status = 500;
    broken.body = "{\"message\":\"oops\"}\n";
    auto b = in::outcome_of_http(broken, "Postmark", at);
    BOOST_TEST((b.what == kind::retry));
    BOOST_TEST(b.note == "Postmark: HTTP 500 {\"message\":\"oops\"} ");
    in::http_reply bad;
    bad.status = 400;
    BOOST_TEST((in::outcome_of_http(bad, "SendGrid", at).what == kind::give_up));
    in::http_reply refused;
    refused.error = "Couldn't connect to server";
    BOOST_TEST((in::outcome_of_http(refused, "SendGrid", at).what == kind::retry));
}

BOOST_AUTO_TEST_SUITE_END()
