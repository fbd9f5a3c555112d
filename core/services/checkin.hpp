// Use cases of the door: check-in links for volunteers, scans (one by one or offline batches),
// undo, search, the offline roster and live counts.
#pragma once

#include "core/domain/checkin.hpp"
#include "core/services/actor.hpp"
#include "core/store/checkin_repo.hpp"

#include <nlohmann/json.hpp>

namespace ensemble::core::services {

struct new_link {
    std::string event_ref;
    std::string label;
    std::string expires_at;  // RFC 3339 or wall time in the event's zone; empty: 12 hours after the event ends
};

struct created_link {
    checkin_link link;
    std::string token;  // shown once; only its hash is stored
};

// Creates a link that can check people in to that one event. Fails with not_found (not the actor's
// event), validation (label, expiry in the past or malformed) or conflict (event cancelled).
result<created_link> create_checkin_link(store::connection& c, const actor& who, const new_link& n);
result<std::vector<store::link_usage>> checkin_links(store::connection& c, const actor& who, std::string_view event_ref);
result<unit> revoke_checkin_link(store::connection& c, const actor& who, std::string_view event_ref, long long link_id);

// The usable link of a token: unauthenticated when unknown, expired or revoked; forbidden for an
// organizer session token (a check-in link is the only credential the door takes).
result<checkin_link> link_for_token(store::connection& c, const std::string& token);

struct scan {
    std::string ticket_code;
    std::string ticket_hash;  // instead of the code: SHA-256 hex, as the offline roster has it
    std::optional<instant> scanned_at;
    std::string device_id;
    std::string nonce;  // offline scans: the same nonce never counts twice
    // SHA-256 hex of ticket_code when the caller made it (the HTTP handler does, on its I/O thread,
    // to keep the hash off the database writer); empty: check_in makes it.
    std::string code_hash;
};

struct scan_outcome {
    checkin_result result = checkin_result::checked_in;
    long long registration_id = 0;
    long long event_id = 0;
    std::string name;
    mode m = mode::in_person;
    instant checked_in_at{};
    std::string device_id;
    bool online_at_door = false;
    nlohmann::json body;  // the stored answer of a re-sent scan; otherwise null (see scan_answer)
};
// The API's answer for a scan: built from the outcome (off the writer), or the stored one replayed.
nlohmann::json scan_answer(const scan_outcome& o);
// The same answer as JSON text, written out directly for the door's scans (the same bytes as
// scan_answer(o).dump()).
std::string scan_answer_text(const scan_outcome& o);

// Checks a ticket in through a link: not_found for an unknown code or one of another event (the
// same answer), conflict for a cancelled or waitlisted registration.
result<scan_outcome> check_in(store::connection& c, const checkin_link& link, const scan& s);
// Checks in by token (link lookup and scan in one transaction).
result<scan_outcome> check_in_with_token(store::connection& c, const std::string& token, const scan& s);
// Undoes a check-in; the answer says whether there was one.
result<nlohmann::json> undo_check_in(store::connection& c, const std::string& token, const std::string& ticket_code, const std::string& device);

struct batch_outcome {
    nlohmann::json results = nlohmann::json::array();
    long long event_id = 0;
    long long changed = 0;
};
// Offline scans synchronised later: one result per scan, in order; the server's answer is the truth.
result<batch_outcome> check_in_batch(store::connection& c, const std::string& token, const std::vector<scan>& scans);

result<nlohmann::json> search_door(store::connection& c, const std::string& token, std::string_view event_ref, const std::string& q);
// Names and ticket hashes of confirmed registrations, for the volunteer's offline list.
result<nlohmann::json> door_roster(store::connection& c, const std::string& token);
// The event a link is for, with counts; what the volunteer page shows first.
result<nlohmann::json> door_session(store::connection& c, const std::string& token);
nlohmann::json counts_json(const store::door_counts& d);

}  // namespace ensemble::core::services
