// From a parsed request to an answer: routing, static files, and the one place exceptions become 500.
#include "server/http_server.hpp"

#include "core/domain/registration.hpp"

#include <spdlog/spdlog.h>

namespace ensemble::server {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

bool is_hidden_static(std::string_view relative) {
    return relative.starts_with("node_modules") || relative == "package.json" || relative == "package-lock.json" ||
           relative.starts_with("tests") || relative.ends_with(".md");
}

response not_found_answer(app& a, const request& req, std::string_view path) {
    if (!path.starts_with("/api/") && req.method() == http::verb::get) {
        if (auto page = a.web->serve(req, "404.html")) {
            page->result(http::status::not_found);
            return std::move(*page);
        }
    }
    return error_response(req, core::errc::not_found, "Nothing here.");
}

// The first query parameter or path segment of an API request that is not clean UTF-8 text once
// percent-decoded ("query" or "path"), or empty: handlers then only ever see valid text.
std::string unclean_part(std::string_view query, const std::map<std::string, std::string, std::less<>>& params) {
    std::string decoded;
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        auto eq = pair.find('=');
        if (!percent_decode(pair.substr(0, eq), decoded, true) || !core::is_clean_text(decoded)) return "query";
        if (eq != std::string_view::npos && (!percent_decode(pair.substr(eq + 1), decoded, true) || !core::is_clean_text(decoded)))
            return "query";
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    for (const auto& [name, value] : params)
        if (!core::is_clean_text(value)) return "path";
    return {};
}

}  // namespace

asio::awaitable<response> answer(app& a, request& req, const std::string& client, std::size_t& route_index) {
    std::string_view target = req.target();
    if (target.empty() || target.front() != '/' || target.size() > 8192)
        co_return error_response(req, core::errc::validation, "The request target must be a path.");
    auto q = target.find('?');
    std::string_view path = target.substr(0, q);
    std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

    if (a.rate_limits_public_enabled()) {
        int retry = 0;
        if (!a.public_by_ip.take(client, retry)) {
            core::failure f = core::make_failure(core::errc::rate_limited, "Too many requests; slow down.");
            f.retry_after = retry;
            co_return error_response(req, f);
        }
    }

    auto match = a.routes.match(req.method(), path);
    if (match.found) {
        route_index = match.index;
        if (path.starts_with("/api/")) {
            if (auto part = unclean_part(query, match.params); !part.empty())
                co_return error_response(req, core::invalid({{part, "is not valid UTF-8 text"}}));
        }
        request_context ctx{a, req, path, query, std::move(match.params), client, match.index};
        try {
            co_return co_await match.found->on_request(ctx);
        } catch (const core::failure_exception& e) {
            co_return error_response(req, e.get());
        } catch (const std::exception& e) {
            spdlog::error("http: {} {} failed: {}", std::string(req.method_string()), std::string(path), e.what());
        } catch (...) {
            spdlog::error("http: {} {} failed with an unknown exception", std::string(req.method_string()), std::string(path));
        }
        co_return error_response(req, core::errc::internal, "Something went wrong on our side. Nothing was lost; try again.");
    }
    if (match.path_known) {
        auto res = error_response(req, core::errc::method_not_allowed, "This address does not take " + std::string(req.method_string()) + ".");
        res.set(http::field::allow, match.allow);
        co_return res;
    }
    if ((req.method() == http::verb::get || req.method() == http::verb::head) && !path.starts_with("/api/")) {
        std::string decoded;
        if (percent_decode(path.substr(1), decoded) && !is_hidden_static(decoded)) {
            if (auto res = a.web->serve(req, decoded, decoded.starts_with("assets/immutable/"))) {
                route_index = a.stats->static_route();
                co_return std::move(*res);
            }
        }
    }
    co_return not_found_answer(a, req, path);
}

}  // namespace ensemble::server
