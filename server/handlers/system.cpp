// /healthz and /metrics.
#include "server/handlers/common.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;

void add_system_routes(app& a) {
    // Serving, and the database answered a probe within the last few seconds. The probe runs at
    // most once a second in the background, so /healthz stays as cheap as a request can be.
    a.routes.add(http::verb::get, "/healthz", [](request_context& ctx) -> boost::asio::awaitable<response> {
        if (ctx.a.stopping) {
            auto res = error_response(ctx.req, core::errc::unavailable, "The server is shutting down.");
            co_return res;
        }
        auto t = core::to_ms(core::now());
        auto last_probe = ctx.a.db_probe_started_ms.load(std::memory_order_relaxed);
        if (t - last_probe > 1000 && ctx.a.db_probe_started_ms.compare_exchange_strong(last_probe, t)) {
            app* a = &ctx.a;
            a->store->post_read(core::store::make_job(
                [](core::store::connection& c) -> core::result<core::unit> {
                    int one = 0;
                    c.sql << "SELECT 1", soci::into(one);
                    return core::unit{};
                },
                [a](core::result<core::unit> r) {
                    if (r) a->db_ok_ms.store(core::to_ms(core::now()), std::memory_order_relaxed);
                }));
        }
        if (t - ctx.a.db_ok_ms.load(std::memory_order_relaxed) > 5000)
            co_return error_response(ctx.req, core::errc::unavailable, "The database does not answer.");
        co_return json_response(ctx.req, status::ok, std::string(R"({"status":"ok"})"));
    });
    a.routes.add(http::verb::get, "/metrics", [](request_context& ctx) -> boost::asio::awaitable<response> {
        co_return text_response(ctx.req, status::ok, ctx.a.stats->render(), "text/plain; version=0.0.4; charset=utf-8");
    });
}

}  // namespace ensemble::server
