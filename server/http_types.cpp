// JSON answers and the API's error body.
#include "server/http_types.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace ensemble::server {

namespace http = boost::beast::http;

const std::string_view security_headers =
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "X-Frame-Options: DENY\r\n"
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "connect-src 'self'; font-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'\r\n"
    "Permissions-Policy: camera=(self), microphone=(), geolocation=()\r\n";

void format_head(const response& res, std::string& out) {
    out.clear();
    unsigned v = res.version();
    out += "HTTP/";
    out += static_cast<char>('0' + v / 10 % 10);
    out += '.';
    out += static_cast<char>('0' + v % 10);
    out += ' ';
    unsigned code = res.result_int();
    out += static_cast<char>('0' + code / 100 % 10);
    out += static_cast<char>('0' + code / 10 % 10);
    out += static_cast<char>('0' + code % 10);
    out += ' ';
    out += res.reason();
    out += "\r\n";
    for (const auto& field : res) {
        out += field.name_string();
        out += ": ";
        out += field.value();
        out += "\r\n";
    }
    out += security_headers;
    out += "\r\n";
}

response json_response(const request& req, status s, std::string body) {
    response res{s, req.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response json_response(const request& req, status s, const nlohmann::json& body) {
    return json_response(req, s, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string error_body(const core::failure& f) {
    nlohmann::json err = {{"code", core::code_name(f.code)}, {"message", f.message}};
    if (f.code == core::errc::validation) err["fields"] = f.fields;
    nlohmann::json body = {{"error", err}};
    if (f.code == core::errc::full) body["alternatives"] = f.alternatives;
    for (const auto& [name, object] : f.context) body[name] = object;
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

response error_response(const request& req, const core::failure& f) {
    auto res = json_response(req, static_cast<status>(core::http_status(f.code)), error_body(f));
    if (f.code == core::errc::rate_limited) res.set(http::field::retry_after, std::to_string(f.retry_after.value_or(60)));
    if (f.code == core::errc::unavailable) res.set(http::field::retry_after, std::to_string(f.retry_after.value_or(30)));
    if (f.code == core::errc::unauthenticated) res.set(http::field::www_authenticate, "Bearer");
    return res;
}

response error_response(const request& req, core::errc code, std::string message) {
    return error_response(req, core::make_failure(code, std::move(message)));
}

response empty_response(const request& req, status s) {
    response res{s, req.version()};
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

response text_response(const request& req, status s, std::string body, std::string_view content_type) {
    response res{s, req.version()};
    res.set(http::field::content_type, content_type);
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

// Beast's serializer walked its buffer sequences for a fifth of the I/O threads' time under load
// (perf, check-in rush); this is one format_head and one gather write.
boost::asio::awaitable<boost::system::error_code> write_answer(boost::beast::tcp_stream& stream, response& res, std::string& head) {
    if (res.chunked()) {
        // Nothing answers chunked today; if something does, the whole body is here anyway.
        res.chunked(false);
        res.prepare_payload();
    }
    format_head(res, head);
    std::array<boost::asio::const_buffer, 2> parts{boost::asio::buffer(head), boost::asio::buffer(res.body())};
    auto [ec, n] = co_await boost::asio::async_write(stream, parts, boost::asio::as_tuple(boost::asio::use_awaitable));
    co_return ec;
}

}  // namespace ensemble::server
