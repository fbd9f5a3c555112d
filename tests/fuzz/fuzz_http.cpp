// libFuzzer target: raw bytes as an HTTP request, parsed by Beast and answered through the real
// route table, handlers and a real SQLite database (with an admin session for half the inputs).
#include "core/security/crypto.hpp"
#include "core/services/accounts.hpp"
#include "core/services/events.hpp"
#include "core/domain/event_json.hpp"
#include "core/store/migrations.hpp"
#include "server/app.hpp"
#include "server/http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/http.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace {

using namespace ensemble;

struct world {
    boost::asio::io_context ioc{1};
    std::unique_ptr<server::app> a;
    std::string admin_token;
};

world* w = nullptr;

const char* event_json = R"({"slug":"fuzz-summit","title":{"en":"Fuzz Summit","fr":"Sommet"},"format":"hybrid",
  "timezone":"America/Toronto","starts_at":"2030-11-20T09:30:00","ends_at":"2030-11-20T13:00:00",
  "venue":{"name":"Hall","city":"Toronto"},"capacity":{"in_person":3,"online":5},"languages":["en","fr"],
  "questions":[{"id":"profession","label":{"en":"Profession"},"type":"choice","required":true,
    "options":[{"id":"nurse","label":{"en":"Nurse"}},{"id":"md","label":{"en":"Physician"}}]},
    {"id":"net","label":{"en":"Network"},"type":"multi","options":[{"id":"mentor","label":{"en":"Mentor"}}]},
    {"id":"ok","label":{"en":"OK"},"type":"boolean"},{"id":"note","label":{"en":"Note"},"type":"text"}],
  "online":{"provider":"manual","join_url":"https://example.org/j"}})";

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    core::init_crypto();
    auto dir = std::filesystem::temp_directory_path() / ("ensemble-fuzz-http-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    server::config cfg = server::load_config("", {});
    cfg.database = "sqlite:" + (dir / "fuzz.db").string();
    cfg.data_dir = dir.string();
    cfg.log.access_log = "off";
    cfg.log.level = "off";
    cfg.rate_limits = {0, 0, 0, 1, 0, 0};
    {
        core::store::connection c(core::store::parse_database_url(cfg.database), {false, 5000});
        core::store::migrate(c);
    }
    w = new world;
    w->a = std::make_unique<server::app>(cfg, w->ioc);
    core::services::new_user u{"fuzz@example.org", "Fuzz Admin", "admin", "fuzz-password-123"};
    std::string hash = core::hash_password(u.password);
    auto who = w->a->store->write_now([u, hash](core::store::connection& c) { return core::services::create_user(c, u, hash); });
    auto session = w->a->store->write_now([who = *who](core::store::connection& c) {
        return core::services::open_session(c, who, std::chrono::hours(24));
    });
    w->admin_token = session->token;
    auto spec = core::event_spec_from_json(nlohmann::json::parse(event_json));
    core::services::actor admin{who->id, "admin"};
    w->a->store->write_now([admin, s = *spec](core::store::connection& c) -> core::result<core::event_record> {
        auto e = core::services::create_event(c, admin, s);
        if (!e) return e;
        return core::services::publish_event(c, admin, std::to_string(e->id));
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    bool with_admin = data[0] & 1;
    namespace http = boost::beast::http;
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(64 * 1024);
    parser.eager(true);
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(data + 1, size - 1), ec);
    if (ec || !parser.is_done()) return 0;
    auto req = parser.release();
    if (with_admin) req.set(http::field::authorization, "Bearer " + w->admin_token);
    std::size_t route = 0;
    bool done = false;
    boost::asio::co_spawn(
        w->ioc,
        [&]() -> boost::asio::awaitable<void> {
            auto res = co_await server::answer(*w->a, req, "127.0.0.1", route);
            // Every answer is well formed: a status, and a JSON body for API paths.
            if (res.result_int() < 100 || res.result_int() > 599) std::abort();
            done = true;
        },
        boost::asio::detached);
    w->ioc.restart();
    w->ioc.run();
    if (!done) std::abort();
    return 0;
}
