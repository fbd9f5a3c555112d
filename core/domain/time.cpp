// RFC 3339 parsing and formatting over Howard Hinnant's date/tz and the system's zoneinfo.
#include "core/domain/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <cstdio>

namespace ensemble::core {
namespace {

const date::time_zone* find_zone(std::string_view name) {
    if (name.empty() || name.size() > 64) return nullptr;
    try {
        return date::locate_zone(std::string(name));
    } catch (const std::exception&) {
        return nullptr;
    }
}

bool read_digits(std::string_view s, std::size_t& pos, int count, int& out) {
    if (pos + static_cast<std::size_t>(count) > s.size()) return false;
    int v = 0;
    for (int i = 0; i < count; ++i) {
        char c = s[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(count);
    out = v;
    return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

}  // namespace

bool is_valid_timezone(std::string_view name) { return find_zone(name) != nullptr; }

void load_time_zones() {
    const auto& db = date::get_tzdb();
    // Each zone also loads its transitions on first use; the ones our events use most, now.
    for (const char* name : {"America/Toronto", "America/Halifax", "America/Montreal", "America/Vancouver", "UTC"})
        if (const auto* zone = find_zone(name)) (void)zone->get_info(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    (void)db;
}

result<instant> parse_instant(std::string_view s, std::string_view timezone) {
    const failure malformed =
        invalid_field("", "must be a date and time such as 2025-11-22T09:30:00 or 2025-11-22T09:30:00-05:00");
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!read_digits(s, pos, 4, y) || !expect(s, pos, '-') || !read_digits(s, pos, 2, mo) || !expect(s, pos, '-') ||
        !read_digits(s, pos, 2, d))
        return malformed;
    if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return malformed;
    ++pos;
    if (!read_digits(s, pos, 2, h) || !expect(s, pos, ':') || !read_digits(s, pos, 2, mi)) return malformed;
    if (expect(s, pos, ':') && !read_digits(s, pos, 2, sec)) return malformed;
    int millis = 0;
    if (expect(s, pos, '.')) {
        int digits = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            if (digits < 3) millis = millis * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return malformed;
        for (int i = digits; i < 3; ++i) millis *= 10;
    }
    auto ymd = date::year{y} / date::month{static_cast<unsigned>(mo)} / date::day{static_cast<unsigned>(d)};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return malformed;
    auto local = date::local_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                 std::chrono::seconds{sec} + std::chrono::milliseconds{millis};

    if (pos == s.size()) {
        const date::time_zone* zone = find_zone(timezone);
        if (zone == nullptr) return invalid_field("", "needs an offset (such as -05:00) because the event has no valid timezone");
        auto info = zone->get_info(std::chrono::time_point_cast<std::chrono::seconds>(local));
        if (info.result == date::local_info::nonexistent)
            return invalid_field("", "does not exist in " + std::string(timezone) + " (the clocks skip it at a daylight-saving change)");
        if (info.result == date::local_info::ambiguous)
            return invalid_field("", "is ambiguous in " + std::string(timezone) + " (it happens twice at a daylight-saving change); give an offset");
        return instant{local.time_since_epoch() - info.first.offset};
    }
    std::chrono::minutes offset{0};
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0, om = 0;
        if (!read_digits(s, pos, 2, oh) || !expect(s, pos, ':') || !read_digits(s, pos, 2, om) || oh > 23 || om > 59)
            return malformed;
        offset = std::chrono::minutes{sign * (oh * 60 + om)};
    } else {
        return malformed;
    }
    if (pos != s.size()) return malformed;
    return instant{local.time_since_epoch() - offset};
}

std::string format_in_zone(instant t, std::string_view timezone) {
    const date::time_zone* zone = find_zone(timezone);
    if (zone == nullptr) return format_utc(t);
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
    auto info = zone->get_info(secs);
    auto local = date::local_seconds{secs.time_since_epoch() + info.offset};
    std::string out = date::format("%Y-%m-%dT%H:%M:%S", local);
    auto off = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", off < 0 ? '-' : '+', static_cast<int>(std::abs(off) / 60),
                  static_cast<int>(std::abs(off) % 60));
    return out + buf;
}

namespace {

// Calendar fields of a UTC time, written digit by digit: every access log line and API answer carries
// such times, and date::format's stream machinery cost more than the rest of a cached answer.
struct utc_fields {
    long long year;
    unsigned month, day, hour, minute, second;
};

utc_fields fields_of(instant t) {
    auto secs = std::chrono::floor<std::chrono::seconds>(t);
    auto days = std::chrono::floor<date::days>(secs);
    date::year_month_day ymd{days};
    auto in_day = (secs - days).count();
    return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
            static_cast<unsigned>(in_day / 3600), static_cast<unsigned>(in_day / 60 % 60), static_cast<unsigned>(in_day % 60)};
}

void put2(std::string& out, unsigned v) {
    out += static_cast<char>('0' + v / 10 % 10);
    out += static_cast<char>('0' + v % 10);
}

void put_year(std::string& out, long long y) {
    if (y < 0 || y > 9999) {
        out += std::to_string(y);
        return;
    }
    put2(out, static_cast<unsigned>(y / 100));
    put2(out, static_cast<unsigned>(y % 100));
}

}  // namespace

namespace {

// "2025-11-22T14:30:00Z" (extended, RFC 3339) or "20251122T143000Z" (basic, iCalendar).
std::string format_utc_form(instant t, bool extended) {
    auto f = fields_of(t);
    std::string out;
    out.reserve(20);
    put_year(out, f.year);
    const unsigned fields[] = {f.month, f.day, f.hour, f.minute, f.second};
    const char separators[] = {'-', '-', 'T', ':', ':'};
    for (int i = 0; i < 5; ++i) {
        if (extended || separators[i] == 'T') out += separators[i];
        put2(out, fields[i]);
    }
    out += 'Z';
    return out;
}

}  // namespace

std::string format_utc(instant t) { return format_utc_form(t, true); }

std::string format_ics_utc(instant t) { return format_utc_form(t, false); }

std::string zone_abbreviation(instant t, std::string_view timezone) {
    const date::time_zone* zone = find_zone(timezone);
    if (zone == nullptr) return "UTC";
    return zone->get_info(std::chrono::time_point_cast<std::chrono::seconds>(t)).abbrev;
}

namespace {
date::local_seconds to_local(instant t, std::string_view timezone) {
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
    const date::time_zone* zone = find_zone(timezone);
    auto offset = zone ? zone->get_info(secs).offset : std::chrono::seconds{0};
    return date::local_seconds{secs.time_since_epoch() + offset};
}
}  // namespace

std::string format_local_date(instant t, std::string_view timezone) {
    return date::format("%Y-%m-%d", to_local(t, timezone));
}

std::string format_local_time(instant t, std::string_view timezone) {
    return date::format("%H:%M", to_local(t, timezone));
}

std::string format_http_date(instant t) {
    return date::format("%a, %d %b %Y %H:%M:%S GMT", std::chrono::time_point_cast<std::chrono::seconds>(t));
}

bool parse_http_date(std::string_view text, instant& out) {
    // IMF-fixdate, the only form a sender may use: "Sun, 06 Nov 1994 08:49:37 GMT".
    static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text.substr(25) != " GMT") return false;
    std::size_t pos = 5;
    int day = 0, year = 0, h = 0, mi = 0, sec = 0;
    if (!read_digits(text, pos, 2, day) || !expect(text, pos, ' ')) return false;
    std::string_view mon = text.substr(pos, 3);
    unsigned month = 0;
    for (unsigned i = 0; i < 12; ++i)
        if (months[i] == mon) month = i + 1;
    pos += 3;
    if (month == 0 || !expect(text, pos, ' ') || !read_digits(text, pos, 4, year) || !expect(text, pos, ' ') || !read_digits(text, pos, 2, h) ||
        !expect(text, pos, ':') || !read_digits(text, pos, 2, mi) || !expect(text, pos, ':') || !read_digits(text, pos, 2, sec))
        return false;
    auto ymd = date::year{year} / date::month{month} / date::day{static_cast<unsigned>(day)};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return false;
    out = instant{date::sys_days{ymd}.time_since_epoch() + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{sec}};
    return true;
}

}  // namespace ensemble::core
