// /healthz and /metrics.
#include "server/handlers/common.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;

void add_system_routes(app& a) {
    a.routes.add(http::verb::get, "/healthz", [](request_context& ctx) -> boost::asio::awaitable<response> {
        if (ctx.a.stopping) co_return json_response(ctx.req, status::service_unavailable, nlohmann::json{{"status", "stopping"}});
        auto probe_op = db_read(*ctx.a.store, [](core::store::connection& c) -> core::result<core::unit> {
            int one = 0;
            c.sql << "SELECT 1", soci::into(one);
            return core::unit{};
        });
        auto probe = co_await std::move(probe_op);
        if (!probe) co_return json_response(ctx.req, status::service_unavailable, nlohmann::json{{"status", "database unavailable"}});
        co_return json_response(ctx.req, status::ok, std::string(R"({"status":"ok"})"));
    });
    a.routes.add(http::verb::get, "/metrics", [](request_context& ctx) -> boost::asio::awaitable<response> {
        co_return text_response(ctx.req, status::ok, ctx.a.stats->render(), "text/plain; version=0.0.4; charset=utf-8");
    });
}

}  // namespace ensemble::server
