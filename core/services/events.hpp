// Use cases of events: create, read, list, edit, publish, cancel.
#pragma once

#include "core/domain/event.hpp"
#include "core/services/actor.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace ensemble::core::services {

// Creates a draft owned by `who`. A generated slug that is taken gets a number; a given one that
// is taken is a validation failure on `slug`.
result<event_record> create_event(store::connection& c, const actor& who, event_spec spec);

// A published or cancelled event for anyone; a draft only for one of its organizers (else not_found).
result<event_record> get_event(store::connection& c, std::string_view id_or_slug, const actor* who);
// The event with its seat counts, whatever its status (internal use).
result<event_record> load_event_with_seats(store::connection& c, long long id);

struct event_list_query {
    store::event_scope scope = store::event_scope::published_upcoming;
    std::size_t limit = 200;
};
result<std::vector<event_record>> list_events(store::connection& c, const event_list_query& q, const actor* who);

struct event_change {
    event_record event;
    long long promoted = 0;           // waitlisted people given a seat by raised capacity
    long long recording_notices = 0;  // recording emails queued
    long long join_links = 0;         // join-link emails queued after a pasted link changed
};

// Applies a JSON merge patch to the organizer's description. Capacity below the seats taken is a
// conflict; raising it promotes from the waitlist. A recording_url set after the event queues the
// recording for every confirmed registrant, once.
result<event_change> update_event(store::connection& c, const actor& who, std::string_view id, const nlohmann::json& patch);

result<event_record> publish_event(store::connection& c, const actor& who, std::string_view id);
// Cancels the event: every active registrant is told, reminders are dropped, the Zoom meeting goes.
result<event_change> cancel_event(store::connection& c, const actor& who, std::string_view id);

// A copy of an event as a new draft, shifted by `days` (next year's edition).
result<event_record> duplicate_event(store::connection& c, const actor& who, std::string_view id, int days,
                                     const std::string& new_slug);

// The organizer's description with the online join link and passcode (for the edit form).
result<nlohmann::json> event_settings(store::connection& c, const actor& who, std::string_view id);

}  // namespace ensemble::core::services
