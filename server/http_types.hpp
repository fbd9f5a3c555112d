// The HTTP message types every handler speaks, and helpers to build JSON and error answers.
#pragma once

#include "core/domain/error.hpp"

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

// The answer's status line and header fields, as HTTP/1 puts them before the body, written into
// `out` (cleared first). The same bytes as Beast's serializer for a response whose body is not
// chunked; the server writes this and the body in one gather write.
void format_head(const response& res, std::string& out);

// Security headers every answer carries (CSP, nosniff, referrer policy, frame-ancestors).
void add_security_headers(response& res);

}  // namespace ensemble::server
