// The door: check-in links (organizers), scans, undo, search, offline roster, batches (volunteers),
// and the live counts stream.
#include "server/handlers/common.hpp"

#include "core/security/crypto.hpp"
#include "core/services/checkin.hpp"
#include "server/live_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using core::store::connection;

namespace {

// The check-in credential: the Bearer token, else ?access_token= (EventSource cannot send headers).
// An organizer's session cookie never counts here, and does not hide the link's token.
std::string door_token(const request_context& ctx) {
    auto auth = ctx.req[http::field::authorization];
    if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) {
        auto token = auth.substr(7);
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
        return std::string(token);
    }
    return ctx.query("access_token");
}

core::failure limited(int retry) {
    core::failure f = core::make_failure(core::errc::rate_limited, "Too many scans from this link; wait a moment.");
    f.retry_after = retry;
    return f;
}

// The door's reads (search, the offline list, the session) have a budget per link of their own:
// searching never takes from the scans' budget, and a leaked link cannot read at full speed.
std::optional<response> door_read_refused(request_context& ctx, const std::string& token) {
    if (token.empty()) return error_response(ctx.req, core::errc::unauthenticated, "Open the check-in link given by the organizer.");
    int retry = 0;
    if (ctx.a.door_reads_by_link.take(token, retry)) return std::nullopt;
    core::failure f = core::make_failure(core::errc::rate_limited, "Too many requests from this check-in link; wait a moment.");
    f.retry_after = retry;
    return error_response(ctx.req, f);
}

nlohmann::json link_json(const core::store::link_usage& u, const std::string& public_url) {
    auto at = core::now();
    std::string state = u.link.revoked_at ? "revoked" : at >= u.link.expires_at ? "expired" : "active";
    nlohmann::json j = {{"id", u.link.id},
                        {"label", u.link.label},
                        {"created_at", core::format_utc(u.link.created_at)},
                        {"expires_at", core::format_utc(u.link.expires_at)},
                        {"revoked_at", u.link.revoked_at ? nlohmann::json(core::format_utc(*u.link.revoked_at)) : nlohmann::json(nullptr)},
                        {"state", state},
                        {"checkins", u.checkins},
                        {"undos", u.undos},
                        {"last_used_at", u.last_used_at ? nlohmann::json(core::format_utc(*u.last_used_at)) : nlohmann::json(nullptr)},
                        {"devices", u.devices},
                        {"page", public_url + "/checkin"}};
    return j;
}

core::result<core::services::scan> scan_of(const nlohmann::json& j, const std::string& path) {
    core::services::scan s;
    core::field_errors errors;
    if (!j.is_object()) return core::invalid_field(path.empty() ? "body" : path, "must be an object");
    auto prefix = path.empty() ? std::string() : path + ".";
    if (auto it = j.find("ticket_code"); it != j.end() && it->is_string()) {
        s.ticket_code = core::trim(it->get<std::string>());
        s.code_hash = core::sha256_hex(s.ticket_code);
    } else if (auto h = j.find("ticket_hash"); h != j.end() && h->is_string()) {
        // Offline name check-ins know the ticket's hash (from the roster), not its code.
        s.ticket_hash = h->get<std::string>();
        bool hex = s.ticket_hash.size() == 64 && s.ticket_hash.find_first_not_of("0123456789abcdef") == std::string::npos;
        if (!hex) errors[prefix + "ticket_hash"] = "must be the 64 lower-case hex digits of the roster";
    } else {
        errors[prefix + "ticket_code"] = "is required (or ticket_hash from the roster)";
    }
    if (auto it = j.find("device_id"); it != j.end() && !it->is_null()) {
        if (!it->is_string() || it->get_ref<const std::string&>().size() > 100 || !core::is_clean_text(it->get_ref<const std::string&>()))
            errors[prefix + "device_id"] = "must be at most 100 characters of text";
        else s.device_id = it->get<std::string>();
    }
    if (auto it = j.find("nonce"); it != j.end() && !it->is_null()) {
        if (!it->is_string() || it->get_ref<const std::string&>().empty() || it->get_ref<const std::string&>().size() > 100)
            errors[prefix + "nonce"] = "must be 1 to 100 characters";
        else s.nonce = it->get<std::string>();
    }
    if (auto it = j.find("scanned_at"); it != j.end() && !it->is_null()) {
        auto t = it->is_string() ? core::parse_instant(it->get_ref<const std::string&>(), "UTC") : core::result<core::instant>(core::invalid_field("", ""));
        if (!t || !it->is_string()) errors[prefix + "scanned_at"] = "must be an RFC 3339 time with an offset";
        else s.scanned_at = *t;
    }
    if (!errors.empty()) return core::invalid(errors);
    return s;
}

asio::awaitable<response> create_link(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx, true);
    if (!body) co_return error_response(ctx.req, body.error());
    if (!body->is_object()) co_return error_response(ctx.req, core::invalid_field("body", "must be a JSON object"));
    core::services::new_link n;
    n.event_ref = ctx.param("id");
    if (body->contains("label") && (*body)["label"].is_string()) n.label = (*body)["label"].get<std::string>();
    if (body->contains("expires_at") && !(*body)["expires_at"].is_null()) {
        if (!(*body)["expires_at"].is_string()) co_return error_response(ctx.req, core::invalid_field("expires_at", "must be a date-time"));
        n.expires_at = (*body)["expires_at"].get<std::string>();
    }
    auto who = core::services::actor_of(session->who);
    auto created_op = db_write(*ctx.a.store, [who, n](connection& c) { return core::services::create_checkin_link(c, who, n); });
    auto created = co_await std::move(created_op);
    if (!created) co_return error_response(ctx.req, created.error());
    co_return json_response(ctx.req, status::created,
                            nlohmann::json{{"id", created->link.id},
                                           {"token", created->token},
                                           {"url", ctx.a.cfg.public_url + "/checkin#" + created->token},
                                           {"label", created->link.label},
                                           {"expires_at", core::format_utc(created->link.expires_at)}});
}

asio::awaitable<response> list_links(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto links_op = db_read(*ctx.a.store, [who, id = ctx.param("id")](connection& c) { return core::services::checkin_links(c, who, id); });
    auto links = co_await std::move(links_op);
    if (!links) co_return error_response(ctx.req, links.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& u : *links) list.push_back(link_json(u, ctx.a.cfg.public_url));
    co_return json_response(ctx.req, status::ok, nlohmann::json{{"links", list}});
}

asio::awaitable<response> revoke_link(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    long long link_id = std::atoll(ctx.param("link").c_str());
    auto done_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), link_id](connection& c) {
        return core::services::revoke_checkin_link(c, who, id, link_id);
    });
    auto done = co_await std::move(done_op);
    if (!done) co_return error_response(ctx.req, done.error());
    co_return json_response(ctx.req, status::ok, nlohmann::json{{"id", link_id}, {"state", "revoked"}});
}

asio::awaitable<response> scan_one(request_context& ctx) {
    std::string token = door_token(ctx);
    if (token.empty()) co_return error_response(ctx.req, core::errc::unauthenticated, "Open the check-in link given by the organizer.");
    int retry = 0;
    if (!ctx.a.checkin_by_link.take(token, retry)) co_return error_response(ctx.req, limited(retry));
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    auto s = scan_of(*body, "");
    if (!s) co_return error_response(ctx.req, s.error());
    auto outcome_op = db_write(*ctx.a.store, [token, sc = std::move(*s)](connection& c) { return core::services::check_in_with_token(c, token, sc); });
    auto outcome = co_await std::move(outcome_op);
    if (!outcome) co_return error_response(ctx.req, outcome.error());
    if (outcome->result == core::checkin_result::checked_in) ctx.a.door_changed(outcome->event_id);
    co_return json_response(ctx.req, status::ok, core::services::scan_answer_text(*outcome));
}

asio::awaitable<response> undo(request_context& ctx) {
    std::string token = door_token(ctx);
    if (token.empty()) co_return error_response(ctx.req, core::errc::unauthenticated, "Open the check-in link given by the organizer.");
    int retry = 0;
    if (!ctx.a.checkin_by_link.take(token, retry)) co_return error_response(ctx.req, limited(retry));
    std::string device(ctx.req["X-Device-Id"]);
    if (device.size() > 100 || !core::is_clean_text(device)) device.clear();
    auto done_op = db_write(*ctx.a.store, [token, code = ctx.param("ticket_code"), device](connection& c) {
        return core::services::undo_check_in(c, token, code, device);
    });
    auto done = co_await std::move(done_op);
    if (!done) co_return error_response(ctx.req, done.error());
    if (done->value("result", "") == "undone") ctx.a.door_changed(done->value("event_id", 0LL));
    co_return json_response(ctx.req, status::ok, *done);
}

asio::awaitable<response> batch(request_context& ctx) {
    std::string token = door_token(ctx);
    if (token.empty()) co_return error_response(ctx.req, core::errc::unauthenticated, "Open the check-in link given by the organizer.");
    int retry = 0;
    if (!ctx.a.checkin_by_link.take(token, retry)) co_return error_response(ctx.req, limited(retry));
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    if (!body->is_object() || !body->contains("scans") || !(*body)["scans"].is_array())
        co_return error_response(ctx.req, core::invalid_field("scans", "is required: a list of scans"));
    const auto& list = (*body)["scans"];
    if (list.size() > 500) co_return error_response(ctx.req, core::invalid_field("scans", "has more than 500 scans; send them in parts"));
    std::vector<core::services::scan> scans;
    core::field_errors errors;
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto s = scan_of(list[i], "scans[" + std::to_string(i) + "]");
        if (!s) {
            auto failed = s.error();  // result::error() returns a copy: take one, not two
            errors.insert(failed.fields.begin(), failed.fields.end());
        }
        else scans.push_back(std::move(*s));
    }
    if (!errors.empty()) co_return error_response(ctx.req, core::invalid(errors));
    auto outcome_op = db_write(*ctx.a.store, [token, sc = std::move(scans)](connection& c) { return core::services::check_in_batch(c, token, sc); });
    auto outcome = co_await std::move(outcome_op);
    if (!outcome) co_return error_response(ctx.req, outcome.error());
    if (outcome->changed > 0) ctx.a.door_changed(outcome->event_id);
    co_return json_response(ctx.req, status::ok, nlohmann::json{{"results", outcome->results}});
}

asio::awaitable<response> search(request_context& ctx) {
    std::string token = door_token(ctx);
    if (auto refused = door_read_refused(ctx, token)) co_return std::move(*refused);
    auto found_op = db_read(*ctx.a.store, [token, id = ctx.param("id"), q = ctx.query("q")](connection& c) {
        return core::services::search_door(c, token, id, q);
    });
    auto found = co_await std::move(found_op);
    co_return answer_json(ctx.req, found);
}

asio::awaitable<response> door_roster(request_context& ctx) {
    std::string token = door_token(ctx);
    if (auto refused = door_read_refused(ctx, token)) co_return std::move(*refused);
    auto list_op = db_read(*ctx.a.store, [token](connection& c) { return core::services::door_roster(c, token); });
    auto list = co_await std::move(list_op);
    co_return answer_json(ctx.req, list);
}

asio::awaitable<response> door_session(request_context& ctx) {
    std::string token = door_token(ctx);
    if (auto refused = door_read_refused(ctx, token)) co_return std::move(*refused);
    auto info_op = db_read(*ctx.a.store, [token](connection& c) { return core::services::door_session(c, token); });
    auto info = co_await std::move(info_op);
    co_return answer_json(ctx.req, info);
}

asio::awaitable<response> organizer_counts(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto counts_op = db_read(*ctx.a.store, [who, id = ctx.param("id")](connection& c) -> core::result<nlohmann::json> {
        auto head = core::services::managed_event(c, who, id);
        if (!head) return head.error();
        return core::result<nlohmann::json>{boost::system::in_place_value, core::services::counts_json(core::store::count_door(c, head->id))};
    });
    auto counts = co_await std::move(counts_op);
    co_return answer_json(ctx.req, counts);
}

// Writes the stream's header, the current counts, then every update until the client leaves.
asio::awaitable<void> stream_counts(request_context& ctx, boost::beast::tcp_stream& stream, long long event_id) {
    auto& tcp = stream.socket();
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n"
        "X-Accel-Buffering: no\r\n" + std::string(security_headers) + "\r\nretry: 2000\n\n";
    auto hub = ctx.a.live;
    auto sub = hub->subscribe(event_id, stream.get_executor());
    struct leave {
        std::shared_ptr<live_hub> hub;
        std::shared_ptr<live_subscriber> sub;
        ~leave() { hub->unsubscribe(sub); }
    } on_exit{hub, sub};
    hub->mark_dirty(event_id);
    auto [ec, n] = co_await asio::async_write(tcp, asio::buffer(head), asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    while (!sub->closed() && !ctx.a.stopping) {
        auto messages = sub->take();
        std::string out;
        for (auto& m : messages) out += m;
        if (out.empty()) {
            sub->signal().expires_after(std::chrono::seconds(15));
            auto [wait_ec] = co_await sub->signal().async_wait(asio::as_tuple(asio::use_awaitable));
            if (!wait_ec) out = ": keep-alive\n\n";  // the timer ran out: a comment keeps proxies from closing the stream
            else continue;
        }
        auto [wec, wn] = co_await asio::async_write(tcp, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
        if (wec) break;
    }
}

asio::awaitable<void> organizer_live(request_context& ctx, boost::beast::tcp_stream& stream) {
    auto session = co_await authenticate(ctx);
    std::optional<long long> event_id;
    core::failure failed;
    if (!session) {
        failed = session.error();
    } else {
        auto who = core::services::actor_of(session->who);
        auto head_op = db_read(*ctx.a.store, [who, id = ctx.param("id")](connection& c) { return core::services::managed_event(c, who, id); });
        auto head = co_await std::move(head_op);
        if (head) event_id = head->id;
        else failed = head.error();
    }
    if (!event_id) {
        auto res = error_response(ctx.req, failed);
        res.keep_alive(false);
        std::string head;
        co_await write_answer(stream, res, head);
        co_return;
    }
    co_await stream_counts(ctx, stream, *event_id);
}

asio::awaitable<void> door_live(request_context& ctx, boost::beast::tcp_stream& stream) {
    std::string token = door_token(ctx);
    auto link_op = db_read(*ctx.a.store, [token](connection& c) { return core::services::link_for_token(c, token); });
    auto link = co_await std::move(link_op);
    if (!link) {
        auto res = error_response(ctx.req, link.error());
        res.keep_alive(false);
        std::string head;
        co_await write_answer(stream, res, head);
        co_return;
    }
    co_await stream_counts(ctx, stream, link->event_id);
}

}  // namespace

void add_checkin_routes(app& a) {
    a.routes.add(http::verb::post, "/api/v1/events/{id}/checkin-links", create_link);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/checkin-links", list_links);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/checkin-links/{link}/revoke", revoke_link);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/checkin/search", search);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/checkin/counts", organizer_counts);
    a.routes.add_stream(http::verb::get, "/api/v1/events/{id}/live", organizer_live);
    a.routes.add(http::verb::post, "/api/v1/checkin", scan_one);
    a.routes.add(http::verb::post, "/api/v1/checkin/batch", batch);
    a.routes.add(http::verb::get, "/api/v1/checkin/session", door_session);
    a.routes.add(http::verb::get, "/api/v1/checkin/roster", door_roster);
    a.routes.add_stream(http::verb::get, "/api/v1/checkin/live", door_live);
    a.routes.add(http::verb::delete_, "/api/v1/checkin/{ticket_code}", undo);
}

}  // namespace ensemble::server
