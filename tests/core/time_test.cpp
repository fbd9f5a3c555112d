// RFC 3339 instants, wall times read in IANA zones, DST gaps and overlaps, and formatting with offsets.
#include "core/domain/time.hpp"

#include "tests/core/printers.hpp"

#include <boost/test/unit_test.hpp>
#include <date/date.h>

using namespace ensemble::core;

namespace {

instant utc(const char* text) {
    auto r = parse_instant(text, "UTC");
    BOOST_REQUIRE_MESSAGE(r.has_value(), "cannot parse " << text);
    return *r;
}

std::string problem_of(const result<instant>& r) {
    BOOST_REQUIRE(!r.has_value());
    BOOST_REQUIRE_EQUAL(r.error().code, errc::validation);
    BOOST_REQUIRE_EQUAL(r.error().fields.size(), 1u);
    return r.error().fields.begin()->second;
}

}  // namespace

// Named domain_time: a namespace called time would clash with ::time from <ctime>.
BOOST_AUTO_TEST_SUITE(domain_time)

BOOST_AUTO_TEST_CASE(offsets_and_z_are_absolute_whatever_the_zone) {
    instant expected = utc("2025-11-22T14:30:00Z");
    for (const char* zone : {"America/Toronto", "America/Vancouver", "UTC", ""}) {
        BOOST_TEST_CONTEXT(zone) {
            BOOST_TEST(to_ms(*parse_instant("2025-11-22T09:30:00-05:00", zone)) == to_ms(expected));
            BOOST_TEST(to_ms(*parse_instant("2025-11-22T14:30:00Z", zone)) == to_ms(expected));
            BOOST_TEST(to_ms(*parse_instant("2025-11-22T14:30:00z", zone)) == to_ms(expected));
            BOOST_TEST(to_ms(*parse_instant("2025-11-22T20:00:00+05:30", zone)) == to_ms(expected));
            BOOST_TEST(to_ms(*parse_instant("2025-11-22 14:30:00+00:00", zone)) == to_ms(expected));
        }
    }
    BOOST_TEST(format_utc(expected) == "2025-11-22T14:30:00Z");
}

BOOST_AUTO_TEST_CASE(seconds_and_fractions_are_optional) {
    BOOST_TEST(to_ms(*parse_instant("2025-11-22T14:30Z", "UTC")) == to_ms(utc("2025-11-22T14:30:00Z")));
    BOOST_TEST(to_ms(*parse_instant("2025-11-22T14:30:00.5Z", "UTC")) == to_ms(utc("2025-11-22T14:30:00Z")) + 500);
    BOOST_TEST(to_ms(*parse_instant("2025-11-22T14:30:00.123456Z", "UTC")) == to_ms(utc("2025-11-22T14:30:00Z")) + 123);
}

BOOST_AUTO_TEST_CASE(wall_times_are_read_in_the_zone) {
    // Toronto is UTC-5 in November (EST) and UTC-4 in July (EDT).
    BOOST_TEST(to_ms(*parse_instant("2025-11-22T09:30:00", "America/Toronto")) == to_ms(utc("2025-11-22T14:30:00Z")));
    BOOST_TEST(to_ms(*parse_instant("2025-07-15T09:30:00", "America/Toronto")) == to_ms(utc("2025-07-15T13:30:00Z")));
    // Halifax is UTC-3 in summer (ADT), St. John's UTC-2:30 (NDT), Vancouver UTC-7 (PDT).
    BOOST_TEST(to_ms(*parse_instant("2025-07-15T09:30:00", "America/Halifax")) == to_ms(utc("2025-07-15T12:30:00Z")));
    BOOST_TEST(to_ms(*parse_instant("2025-07-15T09:30:00", "America/St_Johns")) == to_ms(utc("2025-07-15T12:00:00Z")));
    BOOST_TEST(to_ms(*parse_instant("2025-07-15T09:30:00", "America/Vancouver")) == to_ms(utc("2025-07-15T16:30:00Z")));
}

BOOST_AUTO_TEST_CASE(a_wall_time_skipped_by_the_spring_change_is_a_field_error) {
    // 2025-03-09: Toronto clocks jump from 02:00 to 03:00.
    auto r = parse_instant("2025-03-09T02:30:00", "America/Toronto");
    std::string problem = problem_of(r);
    BOOST_TEST(problem.find("does not exist") != std::string::npos, problem);
    BOOST_TEST(problem.find("America/Toronto") != std::string::npos, problem);
    // Just outside the gap both readings are fine.
    BOOST_TEST(to_ms(*parse_instant("2025-03-09T01:59:00", "America/Toronto")) == to_ms(utc("2025-03-09T06:59:00Z")));
    BOOST_TEST(to_ms(*parse_instant("2025-03-09T03:00:00", "America/Toronto")) == to_ms(utc("2025-03-09T07:00:00Z")));
    // With an offset the same digits name an instant.
    BOOST_TEST(parse_instant("2025-03-09T02:30:00-05:00", "America/Toronto").has_value());
}

BOOST_AUTO_TEST_CASE(a_wall_time_repeated_by_the_autumn_change_is_a_field_error) {
    // 2025-11-02: Toronto clocks go back from 02:00 EDT to 01:00 EST; 01:30 happens twice.
    auto r = parse_instant("2025-11-02T01:30:00", "America/Toronto");
    std::string problem = problem_of(r);
    BOOST_TEST(problem.find("ambiguous") != std::string::npos, problem);
    // An offset picks one of the two.
    BOOST_TEST(to_ms(*parse_instant("2025-11-02T01:30:00-04:00", "America/Toronto")) == to_ms(utc("2025-11-02T05:30:00Z")));
    BOOST_TEST(to_ms(*parse_instant("2025-11-02T01:30:00-05:00", "America/Toronto")) == to_ms(utc("2025-11-02T06:30:00Z")));
    BOOST_TEST(to_ms(*parse_instant("2025-11-02T02:30:00", "America/Toronto")) == to_ms(utc("2025-11-02T07:30:00Z")));
}

BOOST_AUTO_TEST_CASE(a_wall_time_without_a_valid_zone_needs_an_offset) {
    std::string problem = problem_of(parse_instant("2025-11-22T09:30:00", "Mars/Olympus_Mons"));
    BOOST_TEST(problem.find("offset") != std::string::npos, problem);
    problem_of(parse_instant("2025-11-22T09:30:00", ""));
}

BOOST_AUTO_TEST_CASE(malformed_text_is_a_field_error) {
    for (const char* bad : {"", "2025-11-22", "2025-11-22T", "2025-11-22T9:30", "2025/11/22T09:30:00Z", "2025-13-01T09:30:00Z",
                            "2025-02-29T09:30:00Z", "2025-04-31T09:30:00Z", "2025-11-22T24:00:00Z", "2025-11-22T09:60:00Z",
                            "2025-11-22T09:30:60Z", "2025-11-22T09:30:00+5", "2025-11-22T09:30:00+05", "2025-11-22T09:30:00+24:00",
                            "2025-11-22T09:30:00-05:00x", "2025-11-22T09:30:00.Z", "2025-11-22T09:30:00 Z", "tomorrow at nine",
                            "2025-11-22T09:30:00EST"}) {
        BOOST_TEST_CONTEXT(bad) {
            auto r = parse_instant(bad, "America/Toronto");
            BOOST_TEST(!r.has_value());
            if (!r) {
                BOOST_TEST(r.error().code == errc::validation);
                BOOST_TEST(r.error().fields.begin()->second.find("2025-11-22T09:30:00") != std::string::npos);
            }
        }
    }
    BOOST_TEST(parse_instant("2024-02-29T09:30:00Z", "UTC").has_value());  // a leap day
}

BOOST_AUTO_TEST_CASE(format_in_zone_gives_the_zone_offset_of_that_instant) {
    BOOST_TEST(format_in_zone(utc("2025-11-22T14:30:00Z"), "America/Toronto") == "2025-11-22T09:30:00-05:00");
    BOOST_TEST(format_in_zone(utc("2025-07-15T13:30:00Z"), "America/Toronto") == "2025-07-15T09:30:00-04:00");
    BOOST_TEST(format_in_zone(utc("2025-07-15T12:00:00Z"), "America/Halifax") == "2025-07-15T09:00:00-03:00");
    BOOST_TEST(format_in_zone(utc("2025-01-15T13:00:00Z"), "America/Halifax") == "2025-01-15T09:00:00-04:00");
    BOOST_TEST(format_in_zone(utc("2025-07-15T12:00:00Z"), "America/St_Johns") == "2025-07-15T09:30:00-02:30");
    BOOST_TEST(format_in_zone(utc("2025-07-15T12:00:00Z"), "Asia/Kolkata") == "2025-07-15T17:30:00+05:30");
    BOOST_TEST(format_in_zone(utc("2025-07-15T12:00:00Z"), "UTC") == "2025-07-15T12:00:00+00:00");
    // Both sides of the autumn change keep their own offset.
    BOOST_TEST(format_in_zone(utc("2025-11-02T05:30:00Z"), "America/Toronto") == "2025-11-02T01:30:00-04:00");
    BOOST_TEST(format_in_zone(utc("2025-11-02T06:30:00Z"), "America/Toronto") == "2025-11-02T01:30:00-05:00");
    // Without a valid zone the instant is written in UTC.
    BOOST_TEST(format_in_zone(utc("2025-07-15T12:00:00Z"), "Nowhere/Atlantis") == "2025-07-15T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(formatted_instants_read_back_to_the_same_instant_across_dst_changes) {
    for (const char* zone : {"America/Toronto", "America/Halifax", "America/St_Johns", "America/Vancouver", "Europe/Paris"}) {
        for (instant t = utc("2025-11-02T00:00:00Z"); t < utc("2025-11-03T00:00:00Z"); t += std::chrono::minutes(30)) {
            std::string text = format_in_zone(t, zone);
            auto back = parse_instant(text, zone);
            BOOST_TEST_CONTEXT(zone << " " << text) {
                BOOST_TEST_REQUIRE(back.has_value());
                BOOST_TEST(to_ms(*back) == to_ms(t));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(zone_abbreviations_follow_daylight_saving) {
    BOOST_TEST(zone_abbreviation(utc("2025-11-22T14:30:00Z"), "America/Toronto") == "EST");
    BOOST_TEST(zone_abbreviation(utc("2025-07-15T14:30:00Z"), "America/Toronto") == "EDT");
    BOOST_TEST(zone_abbreviation(utc("2025-07-15T14:30:00Z"), "America/Halifax") == "ADT");
    BOOST_TEST(zone_abbreviation(utc("2025-01-15T14:30:00Z"), "America/Halifax") == "AST");
    BOOST_TEST(zone_abbreviation(utc("2025-01-15T14:30:00Z"), "Nowhere/Atlantis") == "UTC");
}

BOOST_AUTO_TEST_CASE(utc_forms_agree_with_date_format_across_centuries_and_leap_days) {
    // The hand-written formatter against the library's, from before 1970 to 2100, every ~17 days
    // plus a few seconds so that every field moves, and the leap days themselves.
    using namespace std::chrono;
    std::vector<instant> times;
    for (long long s = -2208988800LL; s < 4102444800LL; s += 1469111) times.push_back(instant{seconds{s}});
    for (const char* leap : {"2000-02-29T23:59:59Z", "2024-02-29T00:00:00Z", "1972-02-29T12:34:56Z", "1999-12-31T23:59:59Z"})
        times.push_back(utc(leap));
    times.push_back(instant{milliseconds{-1}});  // rounds down to 1969-12-31T23:59:59
    for (instant t : times) {
        auto secs = floor<seconds>(t);
        BOOST_TEST(format_utc(t) == date::format("%Y-%m-%dT%H:%M:%SZ", secs));
        BOOST_TEST(format_ics_utc(t) == date::format("%Y%m%dT%H%M%SZ", secs));
    }
}

BOOST_AUTO_TEST_CASE(local_date_time_ics_and_http_forms) {
    instant t = utc("2025-11-23T02:30:00Z");  // still the 22nd in Toronto
    BOOST_TEST(format_local_date(t, "America/Toronto") == "2025-11-22");
    BOOST_TEST(format_local_time(t, "America/Toronto") == "21:30");
    BOOST_TEST(format_ics_utc(t) == "20251123T023000Z");
    instant h = utc("1994-11-06T08:49:37Z");
    BOOST_TEST(format_http_date(h) == "Sun, 06 Nov 1994 08:49:37 GMT");
    instant back{};
    BOOST_TEST(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", back));
    BOOST_TEST(to_ms(back) == to_ms(h));
    BOOST_TEST(!parse_http_date("yesterday", back));
}

BOOST_AUTO_TEST_CASE(timezone_names_are_checked_against_the_tz_database) {
    BOOST_TEST(is_valid_timezone("America/Toronto"));
    BOOST_TEST(is_valid_timezone("America/Halifax"));
    BOOST_TEST(is_valid_timezone("UTC"));
    BOOST_TEST(!is_valid_timezone("America/Springfield"));
    BOOST_TEST(!is_valid_timezone(""));
    BOOST_TEST(!is_valid_timezone(std::string(100, 'A')));
}

BOOST_AUTO_TEST_SUITE_END()
