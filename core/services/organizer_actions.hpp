// What organizers do to registrations and teams by hand: promote from the waitlist, move between
// modes, cancel on someone's behalf; add or remove co-organizers. Each is written to the audit log.
#pragma once

#include "core/services/actor.hpp"
#include "core/services/event_cache.hpp"
#include "core/services/registrations.hpp"

namespace ensemble::core::services {

struct promotion {
    registration_change change;
    bool capacity_raised = false;
    long long capacity = 0;
};
// Gives a waitlisted person a seat now, ahead of the queue. When no seat is left the mode's
// capacity grows by one for them, so the seat count never exceeds capacity.
result<promotion> promote_registration(store::connection& c, event_cache& events, const actor& who, std::string_view event_ref,
                                       long long registration_id);
// Moves a registration to the other mode (as the attendee's switch does): full when no seat.
result<registration_change> move_registration(store::connection& c, event_cache& events, const actor& who, std::string_view event_ref,
                                              long long registration_id, const std::string& mode);
// Cancels on the attendee's behalf; the seat goes to the waitlist as with any cancellation.
result<registration_change> cancel_for_attendee(store::connection& c, event_cache& events, const actor& who, std::string_view event_ref,
                                                long long registration_id);

result<nlohmann::json> event_team(store::connection& c, const actor& who, std::string_view event_ref);
// Adds an existing account (by email) as co-organizer; not_found when there is no such account.
result<nlohmann::json> add_team_member(store::connection& c, const actor& who, std::string_view event_ref, const std::string& email);
// Removes a co-organizer (never the owner).
result<unit> remove_team_member(store::connection& c, const actor& who, std::string_view event_ref, long long user_id);

}  // namespace ensemble::core::services
