// SQL for the outbox: enqueue inside use cases, claim and settle from the dispatcher.
#pragma once

#include "core/domain/outbox.hpp"
#include "core/store/database.hpp"

#include <vector>

namespace ensemble::core::store {

// Inserts a row; with a dedupe key already present nothing is inserted and 0 is returned.
long long enqueue(connection& c, const outbox_message& m);

// Claims up to `limit` due rows (pending and due, or sending with an expired lease), marking them
// `sending` with a lease until `lease_until`. On PostgreSQL rows are locked with SKIP LOCKED so
// several instances share the work. A non-empty `channel` ("email", "zoom") claims only its rows.
std::vector<outbox_message> claim_due(connection& c, instant at, instant lease_until, int limit, const std::string& channel = "");
// Puts every `sending` row back to pending (SQLite at start: one process owns the file, so a lease
// left over is from a process that died). Returns how many.
long long release_claims(connection& c);
// Makes pending rows of a kind for an event due now (rows deferred until the Zoom meeting existed).
long long make_due_now(connection& c, long long event_id, const std::string& kind, instant at);
// The status of the newest row among `kinds` for a registration; empty when none.
std::string latest_status_of(connection& c, long long registration_id, const std::vector<std::string>& kinds);

void mark_sent(connection& c, long long id, instant at);
// Back to pending at `next`, counting the attempt; or failed when `give_up`.
void mark_retry(connection& c, long long id, const std::string& error, instant next, bool give_up);
// Puts a row back without counting an attempt (waiting on another row, such as the Zoom meeting).
void defer(connection& c, long long id, instant next);
void mark_cancelled(connection& c, long long id, const std::string& why);

struct outbox_filter {
    std::string status;           // empty: all
    std::vector<long long> event_ids;  // empty with `all_events` false: none
    bool all_events = false;
    std::size_t limit = 500;
};
std::vector<outbox_message> list_outbox(connection& c, const outbox_filter& f);
std::optional<outbox_message> find_message(connection& c, long long id);
// Makes a failed (or pending) row due now with a fresh attempt budget. False when it was sent.
bool retry_now(connection& c, long long id, instant at);
// Cancels pending rows of a kind for a registration (a reminder after a cancellation, for instance).
long long cancel_pending_for_registration(connection& c, long long registration_id, const std::string& kind_prefix);
long long cancel_pending_for_event(connection& c, long long event_id, const std::string& kind_prefix);
// The status of the newest row of a kind for a registration; empty when none.
std::string latest_status(connection& c, long long registration_id, const std::string& kind);

}  // namespace ensemble::core::store
