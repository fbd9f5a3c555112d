// Who is calling: an organizer session (Bearer token or cookie with CSRF token) or a check-in link.
#pragma once

#include "core/domain/account.hpp"
#include "core/services/actor.hpp"
#include "server/router.hpp"

#include <boost/asio/awaitable.hpp>

namespace ensemble::server {

inline constexpr std::string_view session_cookie = "ensemble_session";

// The Bearer token, else the session cookie's; `from_cookie` tells which.
std::string credential_of(const request& req, bool& from_cookie);

// The logged-in account, or unauthenticated (401). Cookie-authenticated writes need the
// X-CSRF-Token header of the session (403 without it).
boost::asio::awaitable<core::result<core::auth_session>> authenticate(request_context& ctx);

// As authenticate, and the account must be an admin (403 otherwise).
boost::asio::awaitable<core::result<core::auth_session>> authenticate_admin(request_context& ctx);

// The caller's address: the peer, or X-Forwarded-For's last untrusted hop when the peer is a trusted proxy.
std::string client_address(const request& req, const std::string& peer, const std::vector<std::string>& trusted_proxies);

}  // namespace ensemble::server
