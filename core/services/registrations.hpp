// Use cases of registrations: register, look up, cancel, switch mode, erase; waitlist promotion.
#pragma once

#include "core/domain/registration_record.hpp"
#include "core/services/actor.hpp"
#include "core/services/event_cache.hpp"

#include <nlohmann/json.hpp>

namespace ensemble::core::services {

struct registration_command {
    std::string event_ref;  // id or slug
    registration_request request;
    std::string idempotency_key;  // empty: none
    std::string request_hash;     // of the body, to tell a replay from a reuse of the key
    // The new registration's ticket code and manage token, made off the writer (make_tokens);
    // empty: made in the transaction.
    std::string ticket_code;
    std::string manage_token;
};
// Fills the command's ticket code and manage token (time-ordered keys, 128 and 192 random bits).
void make_tokens(registration_command& cmd);

struct registration_reply {
    int status = 201;
    std::string body;  // the API's JSON answer (stored for idempotent replays)
    long long event_id = 0;
    long long registration_id = 0;
    bool replayed = false;
};

// Registers a person: a seat of their mode when one is left, else that mode's waitlist when they
// asked for it and the event has one, else `full` with what the other mode has left. Writes the
// registration, the seat count and the messages owed (confirmation or waitlist notice, Zoom) in
// the caller's transaction. Fails with validation, not_found, full, already_registered or
// conflict (an idempotency key reused with another body).
result<registration_reply> register_attendee(store::connection& c, event_cache& events, const registration_command& cmd);

// The registration of a manage token (compared in constant time), or not_found.
result<registration> find_by_manage_token(store::connection& c, const std::string& token);

// The attendee's view: status, mode, answers, ticket, waitlist place, the public event, and for a
// confirmed online seat the join link and passcode once known.
result<nlohmann::json> registration_view(store::connection& c, event_cache& events, const std::string& token);

struct registration_change {
    registration reg;
    long long promoted = 0;
    std::string previous_status;
};

// Cancels; a confirmed seat goes to the first waitlisted person of that mode, in the same transaction.
result<registration_change> cancel_registration(store::connection& c, event_cache& events, const std::string& token);
// Moves a registration to the other mode atomically, or fails with `full` and changes nothing.
result<registration_change> switch_mode(store::connection& c, event_cache& events, const std::string& token, const std::string& mode);
// Releases the seat as a cancellation does and erases the person's data (counts stay).
result<registration_change> erase_by_token(store::connection& c, event_cache& events, const std::string& token);
// Everything stored about the person for that event.
result<nlohmann::json> export_personal_data(store::connection& c, event_cache& events, const std::string& token);

// Gives up to `n` seats of a mode to the waitlist, first come first served. Returns how many.
long long promote_waitlisted(store::connection& c, const event_record& e, mode m, long long n);

// Queues the messages a newly confirmed seat owes (Zoom registrant for an online seat on Zoom).
void queue_seat_messages(store::connection& c, const event_record& e, const registration& r, const char* email_kind);

// The organizer's JSON of a registration.
nlohmann::json registration_to_json(const registration& r, long long waitlist_position);

}  // namespace ensemble::core::services
