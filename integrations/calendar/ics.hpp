// iCalendar (RFC 5545) files for an event: CRLF lines folded at 75 octets, text escaped, UTC times.
#pragma once

#include "core/domain/time.hpp"

#include <string>
#include <string_view>

namespace ensemble::integrations {

struct ics_event {
    std::string uid;  // stable across updates: "event-42-reg-1001@host"
    core::instant stamp{};
    core::instant starts_at{};
    core::instant ends_at{};
    std::string summary;
    std::string description;
    std::string location;
    std::string url;
    std::string organizer_name;
    std::string organizer_email;
    long long sequence = 0;  // grows with each update of the event
    bool cancelled = false;
};

// A VCALENDAR with one VEVENT, METHOD:PUBLISH.
std::string make_ics(const ics_event& e);

// TEXT value escaping: backslash, semicolon, comma, newline.
std::string escape_ics_text(std::string_view text);
// Folds one content line (without its CRLF) into 75-octet pieces, never inside a UTF-8 sequence.
std::string fold_ics_line(std::string_view line);

}  // namespace ensemble::integrations
