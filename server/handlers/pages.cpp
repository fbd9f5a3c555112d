// The HTML pages (each a file under web/) and the browser libraries installed from npm.
#include "server/handlers/common.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

// npm packages whose files the pages may load, and the folder of each that is served.
const std::pair<std::string_view, std::string_view> vendor_packages[] = {
    {"chart.js", "dist"},
    {"qr-scanner", ""},
    {"axe-core", ""},
};

handler page(std::string file) {
    return [file](request_context& ctx) -> asio::awaitable<response> {
        auto res = ctx.a.web->serve(ctx.req, file);
        if (!res) co_return error_response(ctx.req, core::errc::not_found, "This page is missing from the installation.");
        co_return std::move(*res);
    };
}

asio::awaitable<response> vendor(request_context& ctx) {
    const std::string& rest = ctx.param("path");
    auto slash = rest.find('/');
    std::string package = rest.substr(0, slash);
    std::string file = slash == std::string::npos ? "" : rest.substr(slash + 1);
    for (const auto& [name, folder] : vendor_packages) {
        if (package != name) continue;
        if (!folder.empty() && !file.starts_with(std::string(folder) + "/")) break;
        if (!(file.ends_with(".js") || file.ends_with(".mjs") || file.ends_with(".map"))) break;
        auto res = ctx.a.web->serve(ctx.req, "node_modules/" + package + "/" + file);
        if (res) co_return std::move(*res);
        break;
    }
    co_return error_response(ctx.req, core::errc::not_found, "No such file.");
}

}  // namespace

void add_page_routes(app& a) {
    a.routes.add(http::verb::get, "/", page("index.html"));
    a.routes.add(http::verb::get, "/past", page("past.html"));
    a.routes.add(http::verb::get, "/events/{slug}", page("event.html"));
    a.routes.add(http::verb::get, "/manage/{token}", page("manage.html"));
    a.routes.add(http::verb::get, "/checkin", page("checkin.html"));
    a.routes.add(http::verb::get, "/admin", page("admin.html"));
    a.routes.add(http::verb::get, "/admin/{*rest}", page("admin.html"));
    a.routes.add(http::verb::get, "/vendor/{*path}", vendor);
}

}  // namespace ensemble::server
