// Event descriptions rendered from Markdown without raw HTML or script links.
#include "core/text/markdown.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <regex>

using namespace ensemble::core;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(markdown)

BOOST_AUTO_TEST_CASE(markdown_becomes_html) {
    std::string html = markdown_to_html("# Welcome\n\n**Bold** and *italic*, a [link](https://example.org/a?b=1).\n\n- one\n- two\n");
    BOOST_TEST(html.find("<h1>Welcome</h1>") != std::string::npos, html);
    BOOST_TEST(html.find("<strong>Bold</strong>") != std::string::npos, html);
    BOOST_TEST(html.find("<em>italic</em>") != std::string::npos, html);
    BOOST_TEST(html.find("<a href=\"https://example.org/a?b=1\">link</a>") != std::string::npos, html);
    BOOST_TEST(html.find("<li>two</li>") != std::string::npos, html);
    BOOST_TEST(markdown_to_html("") == "");
    BOOST_TEST(markdown_to_html("Élodie & «Côté»").find("Élodie &amp; «Côté»") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(raw_html_is_removed) {
    for (const char* md : {"<script>alert(1)</script>", "Hello <script>alert(1)</script> there", "<img src=x onerror=alert(1)>",
                           "<iframe src=\"https://evil.example\"></iframe>", "text <a href=\"javascript:alert(1)\">x</a>",
                           "<div onclick=\"alert(1)\">click</div>", "<style>body{display:none}</style>"}) {
        std::string html = lower(markdown_to_html(md));
        BOOST_TEST_CONTEXT(md << " -> " << html) {
            BOOST_TEST(html.find("<script") == std::string::npos);
            BOOST_TEST(html.find("<img") == std::string::npos);
            BOOST_TEST(html.find("<iframe") == std::string::npos);
            BOOST_TEST(html.find("<div") == std::string::npos);
            BOOST_TEST(html.find("<style") == std::string::npos);
            BOOST_TEST(html.find("onerror") == std::string::npos);
            BOOST_TEST(html.find("onclick") == std::string::npos);
            BOOST_TEST(html.find("javascript:") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(script_links_are_emptied) {
    for (const char* md : {"[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](  javascript:alert(1) )",
                           "![img](javascript:alert(1))", "[x](vbscript:msgbox(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)",
                           "<javascript:alert(1)>", "[x][ref]\n\n[ref]: javascript:alert(1)"}) {
        std::string html = lower(markdown_to_html(md));
        // The text may show the address; no link or image may lead to it.
        static const std::regex dangerous(R"re((href|src)\s*=\s*"\s*(javascript|vbscript|data:text/html))re");
        BOOST_TEST_CONTEXT(md << " -> " << html) {
            BOOST_TEST(!std::regex_search(html, dangerous));
            BOOST_TEST((html.find("href=\"\"") != std::string::npos || html.find("src=\"\"") != std::string::npos));
        }
    }
}

BOOST_AUTO_TEST_CASE(broken_utf8_is_repaired) {
    std::string html = markdown_to_html("caf\xc3 \xff ok");
    BOOST_TEST(html.find("\xff") == std::string::npos);
    BOOST_TEST(html.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD
}

BOOST_AUTO_TEST_SUITE_END()
