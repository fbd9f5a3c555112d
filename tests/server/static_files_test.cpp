// Static files: only safe relative paths under the root are served, with types, ETags and 304s.
#include "server/static_files.hpp"

#include "server/router.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using ensemble::server::content_type_for;
using ensemble::server::is_safe_relative_path;
using ensemble::server::percent_decode;
using ensemble::server::request;
namespace fs = std::filesystem;
namespace http = boost::beast::http;

namespace {

void write_file(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

struct web_root {
    fs::path base;
    fs::path root;
    web_root() {
        std::string tmpl = (fs::temp_directory_path() / "ensemble-static-XXXXXX").string();
        base = ::mkdtemp(tmpl.data());
        root = base / "web";
        write_file(root / "index.html", "<!doctype html><title>Ensemble</title>");
        write_file(root / "js" / "app.js", "export const x = 1;\n");
        write_file(root / "css" / "site.css", "body{}");
        write_file(root / "img" / "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        write_file(root / "img" / "logo.png", std::string("\x89PNG\r\n\x1a\n", 8));
        write_file(root / ".env", "SECRET=1");
        write_file(root / "js" / ".hidden.js", "secret");
        write_file(base / "outside.txt", "outside the root");
        fs::create_symlink(base / "outside.txt", root / "escape.txt");
    }
    ~web_root() {
        std::error_code ec;
        fs::remove_all(base, ec);
    }
};

request get(std::string target, http::verb v = http::verb::get) {
    request req{v, target, 11};
    return req;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(static_files)

BOOST_AUTO_TEST_CASE(safe_relative_paths) {
    for (const char* ok : {"index.html", "js/app.js", "assets/immutable/app.3f2a.js", "a-b_c.d/e.f", "é.html"})
        BOOST_TEST(is_safe_relative_path(ok), ok);
    for (const char* bad : {"", "..", "../etc/passwd", "js/../../etc/passwd", "js/..", "./index.html", "js/./app.js", ".env",
                            "js/.hidden.js", ".git/config", "/etc/passwd", "//etc/passwd", "js\\app.js", "..\\..\\windows",
                            "js//app.js", "js/", "a\x01" "b", "a\nb", "a\tb"})
        BOOST_TEST(!is_safe_relative_path(bad), bad);
    BOOST_TEST(!is_safe_relative_path(std::string("index.html\0.png", 15)));
    BOOST_TEST(!is_safe_relative_path(std::string(513, 'a')));
    BOOST_TEST(is_safe_relative_path(std::string(512, 'a')));
}

BOOST_AUTO_TEST_CASE(encoded_traversal_is_caught_after_decoding) {
    for (const char* encoded : {"%2e%2e/etc/passwd", "%2E%2E%2Fetc%2Fpasswd", "js/%2e%2e/%2e%2e/etc", "%2fetc%2fpasswd", "js%5c..%5c..",
                                "%2eenv"}) {
        std::string decoded;
        BOOST_TEST_REQUIRE(percent_decode(encoded, decoded));
        BOOST_TEST(!is_safe_relative_path(decoded), encoded << " -> " << decoded);
    }
    std::string decoded;
    BOOST_TEST(!percent_decode("index.html%00.png", decoded));
}

BOOST_AUTO_TEST_CASE(content_types) {
    BOOST_TEST(content_type_for("index.html") == "text/html; charset=utf-8");
    BOOST_TEST(content_type_for("a.css") == "text/css; charset=utf-8");
    BOOST_TEST(content_type_for("a.js") == "text/javascript; charset=utf-8");
    BOOST_TEST(content_type_for("a.mjs") == "text/javascript; charset=utf-8");
    BOOST_TEST(content_type_for("a.json") == "application/json; charset=utf-8");
    BOOST_TEST(content_type_for("a.svg") == "image/svg+xml");
    BOOST_TEST(content_type_for("a.png") == "image/png");
    BOOST_TEST(content_type_for("a.woff2") == "font/woff2");
    BOOST_TEST(content_type_for("manifest.webmanifest") == "application/manifest+json");
    BOOST_TEST(content_type_for("README") == "application/octet-stream");
    BOOST_TEST(content_type_for("x.exe") == "application/octet-stream");
}

BOOST_AUTO_TEST_CASE(files_are_served_with_type_etag_and_caching) {
    web_root w;
    ensemble::server::static_files files(w.root);
    auto res = files.serve(get("/index.html"), "index.html");
    BOOST_TEST_REQUIRE(res.has_value());
    BOOST_TEST(res->result_int() == 200u);
    BOOST_TEST(res->body() == "<!doctype html><title>Ensemble</title>");
    BOOST_TEST((*res)[http::field::content_type] == "text/html; charset=utf-8");
    BOOST_TEST((*res)[http::field::cache_control] == "no-cache");
    std::string head;  // the security headers are added as the answer is written
    ensemble::server::format_head(*res, head);
    BOOST_TEST(head.find("X-Content-Type-Options: nosniff\r\n") != std::string::npos);
    std::string etag((*res)[http::field::etag]);
    BOOST_TEST(etag.size() > 2u);
    BOOST_TEST(etag.front() == '"');

    auto js = files.serve(get("/js/app.js"), "js/app.js");
    BOOST_TEST_REQUIRE(js.has_value());
    BOOST_TEST((*js)[http::field::content_type] == "text/javascript; charset=utf-8");
    BOOST_TEST(std::string((*js)[http::field::etag]) != etag);
    auto immutable = files.serve(get("/js/app.js"), "js/app.js", true);
    BOOST_TEST(std::string((*immutable)[http::field::cache_control]).find("immutable") != std::string::npos);
    auto png = files.serve(get("/img/logo.png"), "img/logo.png");
    BOOST_TEST((*png)[http::field::content_type] == "image/png");
    BOOST_TEST(png->body().size() == 8u);
}

BOOST_AUTO_TEST_CASE(if_none_match_gives_304_and_a_changed_file_a_new_etag) {
    web_root w;
    ensemble::server::static_files files(w.root);
    auto first = files.serve(get("/index.html"), "index.html");
    std::string etag((*first)[http::field::etag]);
    auto req = get("/index.html");
    req.set(http::field::if_none_match, etag);
    auto again = files.serve(req, "index.html");
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST(again->result_int() == 304u);
    BOOST_TEST(again->body().empty());

    write_file(w.root / "index.html", "<!doctype html><title>Changed</title>");
    fs::last_write_time(w.root / "index.html", fs::last_write_time(w.root / "index.html") + std::chrono::seconds(5));
    auto changed = files.serve(req, "index.html");
    BOOST_TEST_REQUIRE(changed.has_value());
    BOOST_TEST(changed->result_int() == 200u);
    BOOST_TEST(changed->body() == "<!doctype html><title>Changed</title>");
    BOOST_TEST(std::string((*changed)[http::field::etag]) != etag);
}

BOOST_AUTO_TEST_CASE(head_has_the_length_but_no_body) {
    web_root w;
    ensemble::server::static_files files(w.root);
    auto res = files.serve(get("/js/app.js", http::verb::head), "js/app.js");
    BOOST_TEST_REQUIRE(res.has_value());
    BOOST_TEST(res->body().empty());
    BOOST_TEST((*res)[http::field::content_length] == "20");
}

BOOST_AUTO_TEST_CASE(nothing_outside_the_root_or_hidden_is_served) {
    web_root w;
    ensemble::server::static_files files(w.root);
    for (const char* rel : {"../outside.txt", "escape.txt", ".env", "js/.hidden.js", "/etc/passwd", "js/../../outside.txt", "missing.html",
                            "js", "js/../index.html"})
        BOOST_TEST(!files.serve(get("/x"), rel).has_value(), rel);
}

BOOST_AUTO_TEST_SUITE_END()
