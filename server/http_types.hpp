// The HTTP message types every handler speaks, and helpers to build JSON and error answers.
#pragma once

#include "core/domain/error.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ensemble::server {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;
using status = boost::beast::http::status;

// A JSON answer with no-store caching (answers carry personal data unless said otherwise).
response json_response(const request& req, status s, const nlohmann::json& body);
response json_response(const request& req, status s, std::string body);
// The API's error body for a failure, with Retry-After for rate limits.
response error_response(const request& req, const core::failure& f);
response error_response(const request& req, core::errc code, std::string message);
response empty_response(const request& req, status s);
response text_response(const request& req, status s, std::string body, std::string_view content_type);

// The JSON error body itself.
std::string error_body(const core::failure& f);

// The security headers every answer carries (CSP, nosniff, referrer policy, frame-ancestors,
// permissions), as header lines. format_head adds them, so no answer leaves without them and none
// pays for five header fields of its own.
extern const std::string_view security_headers;

// The answer's status line, its header fields and security_headers, as HTTP/1 puts them before the
// body, written into `out` (cleared first). Beast's serializer writes the same bytes for the fields
// (not the security headers) of an answer whose body is not chunked; the server writes this and
// the body in one gather write.
void format_head(const response& res, std::string& out);
// Writes an answer on a connection: format_head into `head` (a string the connection keeps, so its
// allocation serves the next answer too), then head and body in one gather write.
boost::asio::awaitable<boost::system::error_code> write_answer(boost::beast::tcp_stream& stream, response& res, std::string& head);

}  // namespace ensemble::server
