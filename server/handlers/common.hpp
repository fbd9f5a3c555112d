// Helpers every handler uses: reading JSON bodies, answering results, authenticating.
#pragma once

#include "server/app.hpp"
#include "server/async.hpp"
#include "server/auth.hpp"
#include "server/router.hpp"

#include <boost/asio/awaitable.hpp>

namespace ensemble::server {

// The request body as a JSON value: 415 unless JSON, 400 when malformed or nested deeper than 32.
// An empty body reads as an empty object when `empty_ok`.
core::result<nlohmann::json> read_json(const request_context& ctx, bool empty_ok = false);

// True when the body nests arrays and objects deeper than `max_depth` (checked before parsing).
bool too_deep(std::string_view body, int max_depth);

// A JSON answer from a result: the value with `ok` status, or the failure's error body.
template <class T>
response answer_json(const request& req, const core::result<T>& r, status ok = status::ok) {
    if (!r) return error_response(req, r.error());
    return json_response(req, ok, nlohmann::json(*r));
}

// Route groups, each in its own file.
void add_system_routes(app& a);
void add_account_routes(app& a);
void add_event_routes(app& a);
void add_registration_routes(app& a);
void add_organizer_registration_routes(app& a);
void add_checkin_routes(app& a);
void add_outbox_routes(app& a);
void add_integration_routes(app& a);
void add_report_routes(app& a);
void add_page_routes(app& a);

}  // namespace ensemble::server
