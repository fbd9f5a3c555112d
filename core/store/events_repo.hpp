// SQL for events, their seat pools and their organizers.
#pragma once

#include "core/domain/event.hpp"
#include "core/store/database.hpp"

#include <optional>
#include <vector>

namespace ensemble::core::store {

struct event_head {
    long long id = 0;
    long long version = 0;
    std::string status;
    long long owner_id = 0;
};

// Finds an event by numeric id or by slug.
std::optional<event_head> find_event_head(connection& c, std::string_view id_or_slug);
std::optional<event_head> find_event_head(connection& c, long long id);

// Loads everything but the seat counts.
std::optional<event_record> load_event(connection& c, long long id);
// Current seat counts of both modes.
void load_seats(connection& c, event_record& e);
seat_counts load_pool(connection& c, long long event_id, mode m);

long long insert_event(connection& c, long long owner_id, const event_spec& spec, instant at);
// Rewrites the spec and capacities; bumps the version.
void update_event(connection& c, long long id, const event_spec& spec, instant at);
void set_event_status(connection& c, long long id, const std::string& status, instant at);
void set_event_zoom_id(connection& c, long long id, const std::string& zoom_id);
void bump_event_version(connection& c, long long id, instant at);
bool slug_taken(connection& c, const std::string& slug, long long except_id);

enum class event_scope { published_upcoming, published_past, all_of_user, all };
struct event_query {
    event_scope scope = event_scope::published_upcoming;
    long long user_id = 0;  // for all_of_user
    instant at{};
    std::size_t limit = 500;
};
// Event ids in the order the scope wants: upcoming soonest first, past newest first.
std::vector<long long> list_event_ids(connection& c, const event_query& q);

// True when the user owns the event or was added to it.
bool is_event_organizer(connection& c, long long event_id, long long user_id);
void add_event_organizer(connection& c, long long event_id, long long user_id);
void remove_event_organizer(connection& c, long long event_id, long long user_id);
std::vector<long long> event_organizer_ids(connection& c, long long event_id);

// Marks the recording as sent to registrants; false when it had been already.
bool claim_recording_notice(connection& c, long long event_id);

}  // namespace ensemble::core::store
