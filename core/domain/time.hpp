// Instants, IANA time zones and RFC 3339 text: wall times are read in the event's zone.
#pragma once

#include "core/domain/error.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ensemble::core {

using clock = std::chrono::system_clock;
using instant = std::chrono::sys_time<std::chrono::milliseconds>;

inline std::int64_t to_ms(instant t) noexcept { return t.time_since_epoch().count(); }
inline instant from_ms(std::int64_t ms) noexcept { return instant{std::chrono::milliseconds{ms}}; }
inline instant now() noexcept { return std::chrono::time_point_cast<std::chrono::milliseconds>(clock::now()); }

// True when `name` is an IANA zone known to the system's tz database.
bool is_valid_timezone(std::string_view name);
// Loads the time zone database now, on the calling thread. The server calls it before starting its
// threads: date's lazy first load, raced by two threads, is reported by ThreadSanitizer.
void load_time_zones();

// Reads an RFC 3339 date-time. With an offset (or Z) it is absolute; without one it is a wall time
// in `timezone`. Fails with a sentence fit for a field error: malformed, or a wall time that does
// not exist or is ambiguous in that zone (daylight-saving change).
result<instant> parse_instant(std::string_view text, std::string_view timezone);

// "2025-11-22T09:30:00-05:00": the instant as a wall time in `timezone` with that zone's offset.
std::string format_in_zone(instant t, std::string_view timezone);
// "2025-11-22T14:30:00Z".
std::string format_utc(instant t);
// "20251122T143000Z", the iCalendar UTC form.
std::string format_ics_utc(instant t);
// The zone's abbreviation at that instant ("EST", "ADT").
std::string zone_abbreviation(instant t, std::string_view timezone);
// "2025-11-22" and "09:30" as wall date and time in the zone.
std::string format_local_date(instant t, std::string_view timezone);
std::string format_local_time(instant t, std::string_view timezone);
// An HTTP date (RFC 9110 IMF-fixdate), and its reading.
std::string format_http_date(instant t);
bool parse_http_date(std::string_view text, instant& out);

}  // namespace ensemble::core
