// What organizers learn after (and during) an event: the report per mode, breakdowns by the
// event's questions, the audit log; and the retention job that anonymises old events.
#pragma once

#include "core/services/actor.hpp"

#include <nlohmann/json.hpp>

namespace ensemble::core::services {

// Per mode: registered (confirmed), waitlisted, cancelled, attended (in person: checked in;
// online: joined on Zoom), no-shows once the event has started; registrations per day; answers
// counted per option of each question. not_found when the actor does not manage the event.
result<nlohmann::json> event_report(store::connection& c, const actor& who, std::string_view event_ref);

// The audit log (admins only, else forbidden), newest first, for one event or all.
result<nlohmann::json> audit_log(store::connection& c, const actor& who, std::string_view event_ref, std::size_t limit);

// Anonymises the personal data of events that ended more than `days` ago (0: never). Returns the
// number of events anonymised; each is written to the audit log.
long long apply_retention(store::connection& c, int days, instant at);

}  // namespace ensemble::core::services
