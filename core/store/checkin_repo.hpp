// SQL for check-in links, check-ins and their log.
#pragma once

#include "core/domain/checkin.hpp"
#include "core/store/database.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ensemble::core::store {

long long insert_checkin_link(connection& c, const checkin_link& l, const std::string& token_hash);
// A check-in link by its token, with its event's status. Read once per transaction and token: a
// group commit of a door's scans reads the link once. Revoking a link or changing an event's
// status forgets what was read (connection::forget_memos); on PostgreSQL another instance's revoke
// is seen from its next transaction (milliseconds), as if it had come after these scans.
struct door_link {
    checkin_link link;
    std::string event_status;
};
std::optional<door_link> find_door_link(connection& c, const std::string& token);
std::optional<checkin_link> find_checkin_link_by_id(connection& c, long long id);
void revoke_checkin_link(connection& c, long long id, instant at);

struct link_usage {
    checkin_link link;
    long long checkins = 0;
    long long undos = 0;
    std::optional<instant> last_used_at;
    std::vector<std::string> devices;
};
std::vector<link_usage> list_checkin_links(connection& c, long long event_id);

// The registration of a ticket code (any event), with its check-in state.
std::optional<registration> find_ticket(connection& c, const std::string& ticket_code);
// The same, with the code's SHA-256 hex already made (off the writer).
std::optional<registration> find_ticket(connection& c, const std::string& ticket_code, const std::string& code_hash);
// The same for the SHA-256 hex of a code, as the offline roster has it, within one event. This reads
// the event's registrations (codes are indexed by their key, hashes are not): the rare path of name
// check-ins made offline.
std::optional<registration> find_ticket_by_hash(connection& c, long long event_id, const std::string& ticket_hash);
// Sets the check-in unless one exists already; false when another got there first.
bool mark_checked_in(connection& c, long long registration_id, instant at, long long link_id, const std::string& device);
void clear_checkin(connection& c, long long registration_id);

struct log_entry {
    long long event_id = 0;
    long long registration_id = 0;
    std::string action;  // checkin | undo | rejected
    long long link_id = 0;
    std::string device_id;
    std::string nonce;   // empty: none
    std::string result;  // the answer given, as JSON text
    instant scanned_at{};
    instant recorded_at{};
};
void insert_log(connection& c, const log_entry& e);
// The answer given to an earlier scan with that nonce, if any.
std::optional<std::string> find_scan_result(connection& c, long long event_id, const std::string& nonce);

struct search_hit {
    std::string name;
    std::string mode;
    std::string status;
    std::string ticket_code;
    std::optional<instant> checked_in_at;
};
std::vector<search_hit> search_attendees(connection& c, long long event_id, const std::string& folded_query, std::size_t limit);

struct roster_entry {
    std::string name;
    std::string ticket_hash;
    bool checked_in = false;
};
// Confirmed registrations of an event: names and ticket hashes only (the volunteer's offline list).
std::vector<roster_entry> door_roster(connection& c, long long event_id);

struct door_counts {
    long long in_person_expected = 0, in_person_checked_in = 0;
    long long online_expected = 0, online_checked_in = 0;
};
door_counts count_door(connection& c, long long event_id);

// Tells other server instances (PostgreSQL NOTIFY, delivered at commit) that an event's door counts
// changed. Nothing to do on SQLite, where one instance serves.
void notify_door_change(connection& c, long long event_id);

}  // namespace ensemble::core::store
