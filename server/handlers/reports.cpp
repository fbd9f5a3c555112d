// Organizer tools: the event report, the audit log, manual changes to registrations, event teams.
#include "server/handlers/common.hpp"

#include "core/services/organizer_actions.hpp"
#include "core/services/reports.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using core::store::connection;

namespace {

nlohmann::json change_json(const core::services::registration_change& ch) {
    return {{"id", ch.reg.id},
            {"status", core::status_name(ch.reg.status)},
            {"mode", core::mode_name(ch.reg.mode)},
            {"previous_status", ch.previous_status},
            {"promoted", ch.promoted}};
}

asio::awaitable<response> report(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto r_op = db_read(*ctx.a.store, [who, id = ctx.param("id")](connection& c) { return core::services::event_report(c, who, id); });
    auto r = co_await std::move(r_op);
    co_return answer_json(ctx.req, r);
}

asio::awaitable<response> audit(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    std::size_t limit = 200;
    if (auto l = ctx.query("limit"); !l.empty()) limit = static_cast<std::size_t>(std::clamp(std::atoll(l.c_str()), 1LL, 1000LL));
    auto r_op = db_read(*ctx.a.store, [who, ev = ctx.query("event"), limit](connection& c) { return core::services::audit_log(c, who, ev, limit); });
    auto r = co_await std::move(r_op);
    co_return answer_json(ctx.req, r);
}

asio::awaitable<response> promote(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    long long rid = std::atoll(ctx.param("rid").c_str());
    auto* events = &ctx.a.events;
    auto r_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), rid, events](connection& c) {
        return core::services::promote_registration(c, *events, who, id, rid);
    });
    auto r = co_await std::move(r_op);
    if (!r) co_return error_response(ctx.req, r.error());
    ctx.a.event_changed(r->change.reg.event_id);
    ctx.a.wake_outbox();
    auto j = change_json(r->change);
    j["capacity_raised"] = r->capacity_raised;
    if (r->capacity_raised) j["capacity"] = r->capacity;
    co_return json_response(ctx.req, status::ok, j);
}

asio::awaitable<response> move(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    if (!body->is_object() || !body->contains("mode") || !(*body)["mode"].is_string())
        co_return error_response(ctx.req, core::invalid_field("mode", "is required: in_person or online"));
    auto who = core::services::actor_of(session->who);
    long long rid = std::atoll(ctx.param("rid").c_str());
    auto* events = &ctx.a.events;
    auto r_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), rid, m = (*body)["mode"].get<std::string>(), events](connection& c) {
        return core::services::move_registration(c, *events, who, id, rid, m);
    });
    auto r = co_await std::move(r_op);
    if (!r) co_return error_response(ctx.req, r.error());
    ctx.a.event_changed(r->reg.event_id);
    ctx.a.wake_outbox();
    co_return json_response(ctx.req, status::ok, change_json(*r));
}

asio::awaitable<response> cancel(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    long long rid = std::atoll(ctx.param("rid").c_str());
    auto* events = &ctx.a.events;
    auto r_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), rid, events](connection& c) {
        return core::services::cancel_for_attendee(c, *events, who, id, rid);
    });
    auto r = co_await std::move(r_op);
    if (!r) co_return error_response(ctx.req, r.error());
    ctx.a.event_changed(r->reg.event_id);
    ctx.a.wake_outbox();
    co_return json_response(ctx.req, status::ok, change_json(*r));
}

asio::awaitable<response> team(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto r_op = db_read(*ctx.a.store, [who, id = ctx.param("id")](connection& c) { return core::services::event_team(c, who, id); });
    auto r = co_await std::move(r_op);
    co_return answer_json(ctx.req, r);
}

asio::awaitable<response> add_member(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    if (!body->is_object() || !body->contains("email") || !(*body)["email"].is_string())
        co_return error_response(ctx.req, core::invalid_field("email", "is required"));
    auto who = core::services::actor_of(session->who);
    auto r_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), email = (*body)["email"].get<std::string>()](connection& c) {
        return core::services::add_team_member(c, who, id, email);
    });
    auto r = co_await std::move(r_op);
    co_return answer_json(ctx.req, r, status::created);
}

asio::awaitable<response> remove_member(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    long long user_id = std::atoll(ctx.param("user").c_str());
    auto r_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), user_id](connection& c) {
        return core::services::remove_team_member(c, who, id, user_id);
    });
    auto r = co_await std::move(r_op);
    if (!r) co_return error_response(ctx.req, r.error());
    co_return empty_response(ctx.req, status::no_content);
}

}  // namespace

void add_report_routes(app& a) {
    a.routes.add(http::verb::get, "/api/v1/events/{id}/report", report);
    a.routes.add(http::verb::get, "/api/v1/audit", audit);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/registrations/{rid}/promote", promote);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/registrations/{rid}/move", move);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/registrations/{rid}/cancel", cancel);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/organizers", team);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/organizers", add_member);
    a.routes.add(http::verb::delete_, "/api/v1/events/{id}/organizers/{user}", remove_member);
}

}  // namespace ensemble::server
