// SQL for registrations, seat pools' counters, waitlist order and idempotency keys.
#pragma once

#include "core/domain/registration_record.hpp"
#include "core/store/database.hpp"

#include <optional>
#include <vector>

namespace ensemble::core::store {

// Takes a seat when one is left: `taken = taken + 1 WHERE taken < capacity`. False when full.
bool take_seat(connection& c, long long event_id, mode m);
void release_seat(connection& c, long long event_id, mode m);
void change_waitlisted(connection& c, long long event_id, mode m, int delta);

// True when an active (not cancelled) registration of that email exists for the event.
bool active_email_exists(connection& c, long long event_id, const std::string& email_norm);

// Inserts and returns the id; 0 when an active registration of that email exists for the event (on
// PostgreSQL a concurrent one is waited for). Throws on any other failure.
long long insert_registration(connection& c, const registration& r, const std::string& search_key);
// By its key (see time_ordered_token), proven by the hash of the whole token.
std::optional<registration> find_by_manage_token(connection& c, const std::string& token);
std::optional<registration> find_registration(connection& c, long long id);

// 1-based place among the waitlisted of its mode, by arrival.
long long waitlist_position(connection& c, long long event_id, mode m, long long registration_id);
// The first `n` waitlisted registration ids of a mode, in arrival order.
std::vector<long long> first_waitlisted(connection& c, long long event_id, mode m, long long n);

void set_status(connection& c, long long id, registration_status s, instant at);
void set_mode(connection& c, long long id, mode m, registration_status s, instant at);
void set_zoom_registrant(connection& c, long long id, const std::string& registrant_id, const std::string& join_url);
void update_answers(connection& c, long long id, const nlohmann::json& answers, instant at);
// Blanks the person's data; the row stays (cancelled) so counts hold.
void erase_registration(connection& c, long long id, instant at);

struct registration_filter {
    long long event_id = 0;
    std::string status;  // empty: all
    std::string mode;    // empty: all
    std::string query;   // folded search text
    std::string sort = "created";  // created | name | status
    bool descending = false;
    std::size_t limit = 100000;
};
std::vector<registration> list_registrations(connection& c, const registration_filter& f);

struct stored_response {
    std::string request_hash;
    int status = 0;
    std::string body;
};
std::optional<stored_response> find_idempotent(connection& c, const std::string& scope, const std::string& key);
void store_idempotent(connection& c, const std::string& scope, const std::string& key, const stored_response& r, instant at);
// Takes the key for this request before doing its work: false when the key exists already (on
// PostgreSQL, after waiting for a concurrent holder to commit or roll back). complete_idempotent
// then stores the answer in the same transaction.
bool claim_idempotency_key(connection& c, const std::string& scope, const std::string& key, const std::string& request_hash,
                           instant at);
void complete_idempotent(connection& c, const std::string& scope, const std::string& key, int status, const std::string& body);
long long purge_idempotency(connection& c, instant older_than);

struct mode_counts {
    long long confirmed = 0, waitlisted = 0, cancelled = 0, checked_in = 0;
};
mode_counts count_registrations(connection& c, long long event_id, mode m);

}  // namespace ensemble::core::store
