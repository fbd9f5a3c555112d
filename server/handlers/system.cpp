// /healthz and /metrics.
#include "server/handlers/common.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;

namespace {

core::result<core::unit> probe_database(core::store::connection& c) {
    int one = 0;
    c.sql << "SELECT 1", soci::into(one);
    return core::unit{};
}

}  // namespace

void add_system_routes(app& a) {
    // Serving, and the database answers. While /healthz is asked often (a load balancer, a benchmark)
    // it answers from a probe run at most once a second in the background, so it stays as cheap as a
    // request can be; when no probe has answered for five seconds (nobody asked for a while, or the
    // database is stuck), it probes the database itself and waits for the answer.
    a.routes.add(http::verb::get, "/healthz", [](request_context& ctx) -> boost::asio::awaitable<response> {
        if (ctx.a.stopping) {
            auto res = error_response(ctx.req, core::errc::unavailable, "The server is shutting down.");
            co_return res;
        }
        auto t = core::to_ms(core::now());
        auto last_probe = ctx.a.db_probe_started_ms.load(std::memory_order_relaxed);
        if (t - ctx.a.db_ok_ms.load(std::memory_order_relaxed) > 5000) {
            auto probe_op = db_read(*ctx.a.store, probe_database);
            auto probe = co_await std::move(probe_op);
            if (!probe) co_return error_response(ctx.req, core::errc::unavailable, "The database does not answer.");
            ctx.a.db_ok_ms.store(core::to_ms(core::now()), std::memory_order_relaxed);
        } else if (t - last_probe > 1000 && ctx.a.db_probe_started_ms.compare_exchange_strong(last_probe, t)) {
            app* a = &ctx.a;
            a->store->post_read(core::store::make_job(probe_database, [a](core::result<core::unit> r) {
                if (r) a->db_ok_ms.store(core::to_ms(core::now()), std::memory_order_relaxed);
            }));
        }
        co_return json_response(ctx.req, status::ok, std::string(R"({"status":"ok"})"));
    });
    a.routes.add(http::verb::get, "/metrics", [](request_context& ctx) -> boost::asio::awaitable<response> {
        co_return text_response(ctx.req, status::ok, ctx.a.stats->render(), "text/plain; version=0.0.4; charset=utf-8");
    });
}

}  // namespace ensemble::server
