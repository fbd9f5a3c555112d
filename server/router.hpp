// The route table: method and path pattern to handler, telling 404 from 405.
#pragma once

#include "server/http_types.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ensemble::server {

class app;

// Everything a handler knows of the request it answers.
struct request_context {
    app& a;
    request& req;
    std::string_view path;                        // decoded path, without the query
    std::string_view raw_query;                   // after '?', undecoded
    std::map<std::string, std::string, std::less<>> params;  // {name} segments of the route, decoded
    std::string client_ip;
    std::size_t route_index = 0;

    // A query parameter, decoded; empty when absent.
    std::string query(std::string_view name) const;
    const std::string& param(std::string_view name) const;
};

using handler = std::function<boost::asio::awaitable<response>(request_context&)>;
// A handler that keeps the connection for a stream (server-sent events); it writes everything itself.
using stream_handler = std::function<boost::asio::awaitable<void>(request_context&, boost::beast::tcp_stream&)>;

struct route {
    boost::beast::http::verb method;
    std::string pattern;  // "/api/v1/events/{id}/registrations"; a final "{*rest}" takes the remainder
    handler on_request;
    stream_handler on_stream;
    std::vector<std::string> segments;
    // Derived from segments when the route is added.
    std::size_t fixed = 0;       // segments before a final {*rest}
    bool rest = false;           // ends in {*rest}
    std::vector<bool> is_param;  // per fixed segment: {name}
};

struct route_match {
    const route* found = nullptr;
    std::size_t index = 0;
    bool path_known = false;  // some route has this path, but not this method (405)
    std::string allow;        // the methods that path takes (only when no route takes this method)
    std::map<std::string, std::string, std::less<>> params;
};

class router {
public:
    void add(boost::beast::http::verb method, std::string pattern, handler h);
    void add_stream(boost::beast::http::verb method, std::string pattern, stream_handler h);
    route_match match(boost::beast::http::verb method, std::string_view path) const;
    const std::vector<route>& routes() const noexcept { return routes_; }

private:
    void index_last();

    std::vector<route> routes_;
    // For a path of n segments (n < shapes), the routes that can take it, in the order added.
    static constexpr std::size_t shapes = 17;
    std::array<std::vector<std::size_t>, shapes> by_count_;
};

// Percent-decodes; returns false on a malformed escape or an encoded NUL.
bool percent_decode(std::string_view in, std::string& out, bool plus_as_space = false);

}  // namespace ensemble::server
