// The organizer's outbox: messages by status, retrying one message or every failed one of an event.
#include "server/handlers/common.hpp"

#include "core/services/delivery.hpp"

#include <charconv>

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using core::store::connection;

namespace {

asio::awaitable<response> list_messages(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    std::string status = ctx.query("status");
    std::string event_ref = ctx.query("event_id");
    if (ctx.params.count("id")) event_ref = ctx.param("id");
    auto j_op = db_read(*ctx.a.store, [who, status, event_ref](connection& c) {
        return core::services::list_outbox_messages(c, who, status, event_ref);
    });
    auto j = co_await std::move(j_op);
    co_return answer_json(ctx.req, j);
}

asio::awaitable<response> retry_message(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    const std::string& text = ctx.param("id");
    long long id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
        co_return error_response(ctx.req, core::not_found("No such message."));
    auto j_op = db_write(*ctx.a.store, [who, id](connection& c) { return core::services::retry_outbox_message(c, who, id); });
    auto j = co_await std::move(j_op);
    if (j) ctx.a.wake_outbox();
    co_return answer_json(ctx.req, j);
}

asio::awaitable<response> retry_event(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto j_op = db_write(*ctx.a.store, [who, ref = ctx.param("id")](connection& c) {
        return core::services::retry_failed_of_event(c, who, ref);
    });
    auto j = co_await std::move(j_op);
    if (j) ctx.a.wake_outbox();
    co_return answer_json(ctx.req, j);
}

}  // namespace

void add_outbox_routes(app& a) {
    a.routes.add(http::verb::get, "/api/v1/outbox", list_messages);
    a.routes.add(http::verb::post, "/api/v1/outbox/{id}/retry", retry_message);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/outbox", list_messages);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/outbox/retry", retry_event);
}

}  // namespace ensemble::server
