// Event descriptions to and from JSON: the request body organizers send and the views the API returns.
#pragma once

#include "core/domain/event.hpp"

#include <nlohmann/json_fwd.hpp>

namespace ensemble::core {

// Reads an organizer's event body. Unknown fields are ignored; a wrongly typed or malformed field is
// named in the failure. Wall times without offset are read in the body's `timezone`. An absent slug
// stays empty: create_event makes one from the title (numbered when taken).
result<event_spec> event_spec_from_json(const nlohmann::json& body);

// The organizer's view of a spec in the same shape the body takes (times with the event's offset),
// including the online join link and passcode. Used for merge-patching and by the dashboard.
nlohmann::json event_spec_to_json(const event_spec& spec);

enum class event_view { public_view, organizer_view };

// The API's event object: the spec (never the join URL or passcode in the public view), its id,
// status, seats per mode, and description rendered to safe HTML.
nlohmann::json event_to_json(const event_record& e, event_view view);

}  // namespace ensemble::core
