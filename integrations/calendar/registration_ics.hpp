// The calendar entry of one registration: the event's time, place or join link, and manage link.
#pragma once

#include "core/domain/registration_record.hpp"
#include "integrations/calendar/ics.hpp"

#include <string>

namespace ensemble::integrations {

struct ics_context {
    std::string public_url;       // "https://summit.example.org"
    std::string organizer_name;   // "Events"
    std::string organizer_email;  // "events@example.org"
    std::string host;             // for the UID
};

// UID "event-<id>-registration-<id>@host", stable across updates; SEQUENCE follows the event's
// version; STATUS CANCELLED when the event or the registration is cancelled. `join_url` and
// `passcode` go into the description only when given (confirmed online seats).
ics_event registration_ics_event(const core::event_record& e, const core::registration& r, const ics_context& ctx,
                                 const std::string& join_url, const std::string& passcode, core::instant stamp);

// "name, address, city, province, postal code" of a venue (skipping empty parts).
std::string venue_line(const core::venue& v);

}  // namespace ensemble::integrations
