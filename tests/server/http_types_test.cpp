// The answers' own head formatting: byte for byte what Beast's serializer writes, plus the security headers.
#include "server/http_types.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace ensemble::server;
namespace http = boost::beast::http;

namespace {

// Beast's bytes for the answer, with the security headers after its fields.
std::string by_beast(const response& res) {
    std::ostringstream out;
    out << res;
    std::string bytes = out.str();
    auto end_of_head = bytes.find("\r\n\r\n");
    BOOST_REQUIRE(end_of_head != std::string::npos);
    bytes.insert(end_of_head + 2, security_headers);
    return bytes;
}

std::string by_us(const response& res) {
    std::string head = "left over from the last answer";
    format_head(res, head);
    return head + res.body();
}

request get(unsigned version = 11, bool keep_alive = true) {
    request req{http::verb::get, "/api/v1/events", version};
    req.keep_alive(keep_alive);
    return req;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_types)

BOOST_AUTO_TEST_CASE(a_json_answer_is_written_as_beast_writes_it) {
    auto res = json_response(get(), status::created, nlohmann::json{{"name", "Zoë Côté"}, {"seats", 3}});
    BOOST_TEST(by_us(res) == by_beast(res));
    BOOST_TEST(by_us(res).starts_with("HTTP/1.1 201 Created\r\n"));
}

BOOST_AUTO_TEST_CASE(errors_closing_answers_and_http_1_0_are_written_as_beast_writes_them) {
    auto limited = error_response(get(), ensemble::core::make_failure(ensemble::core::errc::rate_limited, "Too many requests; slow down."));
    BOOST_TEST(by_us(limited) == by_beast(limited));
    BOOST_TEST(by_us(limited).find("Retry-After: 60\r\n") != std::string::npos);

    auto closing = json_response(get(11, false), status::ok, std::string("{}"));
    BOOST_TEST(by_us(closing) == by_beast(closing));
    BOOST_TEST(by_us(closing).find("Connection: close\r\n") != std::string::npos);

    auto old = json_response(get(10, true), status::ok, std::string("{}"));
    BOOST_TEST(by_us(old) == by_beast(old));
    BOOST_TEST(by_us(old).starts_with("HTTP/1.0 200 OK\r\n"));

    auto empty = empty_response(get(), status::no_content);
    BOOST_TEST(by_us(empty) == by_beast(empty));
}

BOOST_AUTO_TEST_CASE(a_reason_of_our_own_and_a_head_answer_keep_their_bytes) {
    auto res = text_response(get(), status::ok, "", "text/plain; charset=utf-8");
    res.reason("Fine");
    res.content_length(1234);  // a HEAD answer: the GET's length, no body
    BOOST_TEST(by_us(res) == by_beast(res));
    BOOST_TEST(by_us(res).starts_with("HTTP/1.1 200 Fine\r\n"));
    BOOST_TEST(by_us(res).find("Content-Length: 1234\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_answer_carries_the_security_headers_once) {
    std::string head;
    format_head(json_response(get(), status::ok, std::string("{}")), head);
    for (std::string_view name : {"X-Content-Type-Options: nosniff\r\n", "Referrer-Policy: no-referrer\r\n", "X-Frame-Options: DENY\r\n",
                                  "frame-ancestors 'none'\r\n", "Permissions-Policy: camera=(self)"}) {
        auto at = head.find(name);
        BOOST_TEST(at != std::string::npos, name);
        BOOST_TEST(head.find(name, at + 1) == std::string::npos, name);
    }
    BOOST_TEST(head.ends_with("\r\n\r\n"));
}

BOOST_AUTO_TEST_SUITE_END()
