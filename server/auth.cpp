// Authentication of requests.
#include "server/auth.hpp"

#include "core/services/accounts.hpp"
#include "core/security/crypto.hpp"
#include "server/app.hpp"
#include "server/async.hpp"

#include <boost/asio/ip/address.hpp>

namespace ensemble::server {

namespace http = boost::beast::http;

std::string credential_of(const request& req, bool& from_cookie) {
    from_cookie = false;
    auto auth = req[http::field::authorization];
    if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) {
        auto token = auth.substr(7);
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
        return std::string(token);
    }
    auto cookies = req[http::field::cookie];
    while (!cookies.empty()) {
        auto semi = cookies.find(';');
        auto pair = cookies.substr(0, semi);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == session_cookie) {
            from_cookie = true;
            return std::string(pair.substr(eq + 1));
        }
        if (semi == std::string_view::npos) break;
        cookies.remove_prefix(semi + 1);
    }
    return {};
}

boost::asio::awaitable<core::result<core::auth_session>> authenticate(request_context& ctx) {
    bool from_cookie = false;
    std::string token = credential_of(ctx.req, from_cookie);
    if (token.empty()) co_return core::make_failure(core::errc::unauthenticated, "Log in first.");
    auto session_op = db_read(*ctx.a.store, [token](core::store::connection& c) { return core::services::session_for(c, token); });
    auto session = co_await std::move(session_op);
    if (!session) {
        if (session.error().code == core::errc::unauthenticated && token.starts_with("ens_c_"))
            co_return core::make_failure(core::errc::forbidden, "A check-in link can only check people in.");
        co_return session;
    }
    auto method = ctx.req.method();
    bool safe = method == http::verb::get || method == http::verb::head || method == http::verb::options;
    if (from_cookie && !safe) {
        auto header = ctx.req["X-CSRF-Token"];
        if (!core::constant_time_equal(header, session->csrf_token))
            co_return core::make_failure(core::errc::forbidden, "This request needs the X-CSRF-Token header given at login.");
    }
    co_return session;
}

boost::asio::awaitable<core::result<core::auth_session>> authenticate_admin(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (session && session->who.role != "admin") co_return core::make_failure(core::errc::forbidden, "Only an admin can do this.");
    co_return session;
}

namespace {

bool in_network(const boost::asio::ip::address& addr, const std::string& spec) {
    auto slash = spec.find('/');
    boost::system::error_code ec;
    auto net = boost::asio::ip::make_address(spec.substr(0, slash), ec);
    if (ec) return false;
    if (slash == std::string::npos) return net == addr;
    int bits = std::atoi(spec.c_str() + slash + 1);
    if (net.is_v4() && addr.is_v4()) {
        auto a = addr.to_v4().to_uint(), n = net.to_v4().to_uint();
        std::uint32_t mask = bits <= 0 ? 0 : bits >= 32 ? 0xffffffffu : ~((1u << (32 - bits)) - 1);
        return (a & mask) == (n & mask);
    }
    if (net.is_v6() && addr.is_v6()) {
        auto a = addr.to_v6().to_bytes(), n = net.to_v6().to_bytes();
        for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
            unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
            if ((a[static_cast<std::size_t>(i)] & mask) != (n[static_cast<std::size_t>(i)] & mask)) return false;
        }
        return true;
    }
    return false;
}

bool trusted(const std::string& ip, const std::vector<std::string>& proxies) {
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(ip, ec);
    if (ec) return false;
    for (const auto& p : proxies)
        if (in_network(addr, p)) return true;
    return false;
}

}  // namespace

std::string client_address(const request& req, const std::string& peer, const std::vector<std::string>& trusted_proxies) {
    if (trusted_proxies.empty() || !trusted(peer, trusted_proxies)) return peer;
    std::string_view xff = req["X-Forwarded-For"];
    std::string current = peer;
    // Walk from the right: the first hop that is not one of our proxies is the client.
    while (!xff.empty()) {
        auto comma = xff.rfind(',');
        std::string_view hop = comma == std::string_view::npos ? xff : xff.substr(comma + 1);
        while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
        while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
        boost::system::error_code ec;
        boost::asio::ip::make_address(std::string(hop), ec);
        if (ec) return current;
        current = std::string(hop);
        if (!trusted(current, trusted_proxies)) return current;
        if (comma == std::string_view::npos) break;
        xff = xff.substr(0, comma);
    }
    return current;
}

}  // namespace ensemble::server
