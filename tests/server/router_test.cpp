// The route table: 404 against 405 with Allow, parameters, percent-decoding and the {*rest} tail.
#include "server/router.hpp"

#include <boost/test/unit_test.hpp>

using namespace ensemble::server;
namespace http = boost::beast::http;

namespace {

handler nothing() {
    return [](request_context&) -> boost::asio::awaitable<response> { co_return response{}; };
}

router sample_routes() {
    router r;
    r.add(http::verb::get, "/healthz", nothing());
    r.add(http::verb::get, "/api/v1/events", nothing());
    r.add(http::verb::post, "/api/v1/events", nothing());
    r.add(http::verb::get, "/api/v1/events/{id}", nothing());
    r.add(http::verb::patch, "/api/v1/events/{id}", nothing());
    r.add(http::verb::post, "/api/v1/events/{id}/registrations", nothing());
    r.add(http::verb::get, "/api/v1/events/{id}/registrations", nothing());
    r.add(http::verb::get, "/api/v1/events/{id}/registrations.csv", nothing());
    r.add(http::verb::delete_, "/api/v1/registrations/{token}", nothing());
    r.add(http::verb::get, "/admin/{*rest}", nothing());
    return r;
}

const std::string& pattern_of(const route_match& m) { return m.found->pattern; }

}  // namespace

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(a_path_and_method_find_their_route) {
    auto r = sample_routes();
    auto m = r.match(http::verb::get, "/healthz");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.index == 0u);
    m = r.match(http::verb::post, "/api/v1/events");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.index == 2u);
    m = r.match(http::verb::get, "/api/v1/events/42/registrations.csv");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(pattern_of(m) == "/api/v1/events/{id}/registrations.csv");
    BOOST_TEST(m.params.at("id") == "42");
}

BOOST_AUTO_TEST_CASE(head_is_answered_by_get_routes) {
    auto r = sample_routes();
    auto m = r.match(http::verb::head, "/healthz");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(pattern_of(m) == "/healthz");
}

BOOST_AUTO_TEST_CASE(unknown_paths_are_404_and_known_paths_with_another_method_405) {
    auto r = sample_routes();
    for (const char* path : {"/nope", "/healthz/", "/api/v1/events/42/unknown", "/api/v1", "/", "", "healthz", "/api/v1/events//registrations"}) {
        auto m = r.match(http::verb::get, path);
        BOOST_TEST_CONTEXT(path) {
            BOOST_TEST(m.found == nullptr);
            BOOST_TEST(!m.path_known);
        }
    }
    auto m = r.match(http::verb::delete_, "/api/v1/events");
    BOOST_TEST(m.found == nullptr);
    BOOST_TEST(m.path_known);
    BOOST_TEST(m.allow == "GET, POST");
    m = r.match(http::verb::put, "/api/v1/events/7");
    BOOST_TEST(m.path_known);
    BOOST_TEST(m.allow == "GET, PATCH");
    m = r.match(http::verb::post, "/healthz");
    BOOST_TEST(m.path_known);
    BOOST_TEST(m.allow == "GET");
    m = r.match(http::verb::get, "/api/v1/registrations/abc");
    BOOST_TEST(m.path_known);
    BOOST_TEST(m.allow == "DELETE");
}

BOOST_AUTO_TEST_CASE(parameters_are_percent_decoded_and_do_not_split) {
    auto r = sample_routes();
    auto m = r.match(http::verb::get, "/api/v1/events/summit%202025");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.params.at("id") == "summit 2025");
    m = r.match(http::verb::get, "/api/v1/events/a%2Fb/registrations");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.params.at("id") == "a/b");
    m = r.match(http::verb::get, "/api/v1/events/s%C3%A9minaire");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.params.at("id") == "séminaire");
    m = r.match(http::verb::delete_, "/api/v1/registrations/tok+en");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.params.at("token") == "tok+en");  // '+' is a space only in queries
}

BOOST_AUTO_TEST_CASE(malformed_escapes_and_encoded_nul_match_nothing) {
    auto r = sample_routes();
    for (const char* path : {"/api/v1/events/%zz", "/api/v1/events/%4", "/api/v1/events/%", "/api/v1/events/a%00b"}) {
        auto m = r.match(http::verb::get, path);
        BOOST_TEST(m.found == nullptr, path);
    }
}

BOOST_AUTO_TEST_CASE(a_rest_parameter_takes_the_remainder) {
    auto r = sample_routes();
    auto m = r.match(http::verb::get, "/admin/events/42/edit");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.params.at("rest") == "events/42/edit");
    m = r.match(http::verb::get, "/admin/users");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(m.params.at("rest") == "users");
    m = r.match(http::verb::post, "/admin/users");
    BOOST_TEST(m.found == nullptr);
    BOOST_TEST(m.path_known);
}

BOOST_AUTO_TEST_CASE(the_first_route_added_wins_and_long_paths_still_reach_a_rest_route) {
    ensemble::server::router r;
    r.add(http::verb::get, "/files/{*rest}", nothing());
    r.add(http::verb::get, "/files/{name}", nothing());
    r.add(http::verb::get, "/files/{dir}/{name}/{part}", nothing());
    r.add(http::verb::get, "/a/{x}/c", nothing());
    r.add(http::verb::get, "/a/b/{y}", nothing());
    auto m = r.match(http::verb::get, "/files/report.pdf");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(pattern_of(m) == "/files/{*rest}");  // added before /files/{name}
    m = r.match(http::verb::get, "/a/b/c");
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(pattern_of(m) == "/a/{x}/c");
    BOOST_TEST(m.params.at("x") == "b");
    std::string deep = "/files";
    for (int i = 0; i < 40; ++i) deep += "/d" + std::to_string(i);
    m = r.match(http::verb::get, deep);
    BOOST_TEST_REQUIRE(m.found != nullptr);
    BOOST_TEST(pattern_of(m) == "/files/{*rest}");
    BOOST_TEST(m.params.at("rest").size() == deep.size() - 7);
    m = r.match(http::verb::delete_, deep);
    BOOST_TEST(m.found == nullptr);
    BOOST_TEST(m.path_known);
    BOOST_TEST(m.allow == "GET");
}

BOOST_AUTO_TEST_CASE(percent_decode_rules) {
    std::string out;
    BOOST_TEST(percent_decode("%41%62c", out));
    BOOST_TEST(out == "Abc");
    BOOST_TEST(percent_decode("%c3%a9", out));
    BOOST_TEST(out == "é");
    BOOST_TEST(percent_decode("%2e%2e%2fetc", out));
    BOOST_TEST(out == "../etc");
    BOOST_TEST(percent_decode("a+b", out));
    BOOST_TEST(out == "a+b");
    BOOST_TEST(percent_decode("a+b", out, true));
    BOOST_TEST(out == "a b");
    BOOST_TEST(percent_decode("", out));
    BOOST_TEST(out == "");
    BOOST_TEST(!percent_decode("%", out));
    BOOST_TEST(!percent_decode("%4", out));
    BOOST_TEST(!percent_decode("ab%4", out));
    BOOST_TEST(!percent_decode("%g1", out));
    BOOST_TEST(!percent_decode("%00", out));
    BOOST_TEST(percent_decode("100%25", out));
    BOOST_TEST(out == "100%");
}

BOOST_AUTO_TEST_SUITE_END()
