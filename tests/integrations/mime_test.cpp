// MIME mail text: RFC 2047 words, quoted-printable, base64 lines, the multipart structure.
#include "integrations/mail/mime.hpp"

#include "core/security/crypto.hpp"
#include "tests/integrations/mail_parsing.hpp"

#include <boost/test/unit_test.hpp>

namespace in = ensemble::integrations;
namespace core = ensemble::core;
using ensemble::test::decode_base64;
using ensemble::test::decode_quoted_printable;
using ensemble::test::decode_rfc2047;
using ensemble::test::parse_mime;

namespace {

bool valid_utf8(const std::string& s) { return core::to_hex(s).size() == s.size() * 2 && s.find('\xff') == std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto eol = text.find("\r\n", pos);
        if (eol == std::string::npos) {
            out.push_back(text.substr(pos));
            break;
        }
        out.push_back(text.substr(pos, eol - pos));
        pos = eol + 2;
    }
    return out;
}

in::email_message sample() {
    in::email_message m;
    m.from = {"Équipe Ensemble", "events@summit.example.org"};
    m.to = {"Amélie Tremblay-Côté", "amelie@example.org"};
    m.subject = "Inscription confirmée : Sommet annuel des professionnels de la santé formés à l’étranger 2025";
    m.text = "Bonjour Amélie,\nVotre inscription est confirmée.\nA line with = sign and trailing space \n" + std::string(200, 'x') + "\n";
    m.html = "<p>Bonjour Amélie,</p>\n<p>" + std::string(120, 'y') + "</p>\n";
    m.attachments.push_back({"invite.ics", "text/calendar; charset=UTF-8; method=PUBLISH", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"});
    std::string png(3000, '\0');
    for (std::size_t i = 0; i < png.size(); ++i) png[i] = static_cast<char>(i * 7);
    m.attachments.push_back({"ticket.png", "image/png", png});
    m.message_id = "<outbox-7.abc@summit.example.org>";
    m.date = core::from_ms(1'764'000'000'000);
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mime)

BOOST_AUTO_TEST_CASE(ascii_headers_stay_readable) {
    BOOST_TEST(in::encode_header_text("Registration confirmed") == "Registration confirmed");
    BOOST_TEST(in::encode_header_text("two\r\nlines") == "two lines");  // no header injection
}

BOOST_AUTO_TEST_CASE(utf8_headers_become_encoded_words_that_decode_back) {
    std::string subject = "Inscription confirmée : Sommet annuel des professionnels de la santé formés à l’étranger — édition 2025 ✓";
    std::string encoded = in::encode_header_text(subject, 9);
    BOOST_TEST(encoded.find("=?UTF-8?B?") == 0u);
    BOOST_TEST(decode_rfc2047(encoded) == subject);
    auto lines = lines_of(encoded);
    BOOST_TEST(lines.size() > 1u);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string line = lines[i];
        if (i > 0) {
            BOOST_TEST(line.front() == ' ');  // folded with whitespace
            line.erase(0, 1);
        }
        BOOST_TEST(line.size() <= 75u);  // RFC 2047: an encoded-word is at most 75 characters
        BOOST_TEST(valid_utf8(decode_rfc2047(line)));
        // Each word decodes alone to whole UTF-8 sequences: no sequence is split between words.
        std::string piece = decode_rfc2047(line);
        unsigned char last = static_cast<unsigned char>(piece.back());
        BOOST_TEST(!(last >= 0xC0));
    }
    BOOST_TEST(decode_rfc2047(in::encode_header_text("a\nÉ")) == "a É");
}

BOOST_AUTO_TEST_CASE(addresses_are_quoted_or_encoded) {
    BOOST_TEST(in::format_address({"", "a@x.org"}) == "a@x.org");
    BOOST_TEST(in::format_address({"Ada Lovelace", "a@x.org"}) == "Ada Lovelace <a@x.org>");
    BOOST_TEST(in::format_address({"Lovelace, Ada", "a@x.org"}) == "\"Lovelace, Ada\" <a@x.org>");
    BOOST_TEST(in::format_address({"Say \"hi\"", "a@x.org"}) == "\"Say \\\"hi\\\"\" <a@x.org>");
    std::string encoded = in::format_address({"Amélie Côté", "a@x.org"});
    BOOST_TEST(encoded.find("=?UTF-8?B?") == 0u);
    BOOST_TEST(decode_rfc2047(encoded.substr(0, encoded.find(" <"))) == "Amélie Côté");
    auto parsed = in::parse_mail_address("Équipe Ensemble <events@x.org>");
    BOOST_TEST(parsed.name == "Équipe Ensemble");
    BOOST_TEST(parsed.email == "events@x.org");
    BOOST_TEST(in::parse_mail_address("events@x.org").name.empty());
    BOOST_TEST(in::mail_domain("events@x.org") == "x.org");
}

BOOST_AUTO_TEST_CASE(quoted_printable_round_trips_with_short_lines) {
    std::string text = "Élodie = 100% ready\ttab \nline two has trailing spaces  \n" + std::string(300, 'z') + "\n€ and ’ too\n";
    std::string qp = in::quoted_printable(text);
    for (const auto& line : lines_of(qp)) {
        BOOST_TEST(line.size() <= 76u);
        BOOST_TEST((line.empty() || (line.back() != ' ' && line.back() != '\t')));
        for (unsigned char c : line) BOOST_TEST(((c >= 32 && c < 127) || c == '\t'));
    }
    std::string expected;
    for (char c : text) {
        if (c == '\n') expected += "\r\n";
        else expected += c;
    }
    BOOST_TEST(decode_quoted_printable(qp) == expected);
}

BOOST_AUTO_TEST_CASE(base64_lines_are_76_characters) {
    std::string data(1000, '\x01');
    std::string b64 = in::base64_lines(data);
    auto lines = lines_of(b64);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) BOOST_TEST(lines[i].size() == 76u);
    BOOST_TEST(decode_base64(b64) == data);
}

BOOST_AUTO_TEST_CASE(dates_follow_rfc_5322) {
    BOOST_TEST(in::rfc5322_date(core::from_ms(0)) == "Thu, 01 Jan 1970 00:00:00 +0000");
    BOOST_TEST(in::rfc5322_date(core::from_ms(1'764'151'043'000)) == "Wed, 26 Nov 2025 09:57:23 +0000");
}

BOOST_AUTO_TEST_CASE(a_message_is_mixed_holding_alternative_and_attachments) {
    auto m = sample();
    std::string text = in::build_mime(m);
    for (const auto& line : lines_of(text)) BOOST_TEST(line.size() <= 998u);
    auto root = parse_mime(text);
    BOOST_TEST(root.header("mime-version") == "1.0");
    BOOST_TEST(root.header("message-id") == m.message_id);
    BOOST_TEST(decode_rfc2047(root.header("subject")) == m.subject);
    BOOST_TEST(root.header("date") == in::rfc5322_date(m.date));
    BOOST_TEST(root.header("content-type").find("multipart/mixed") == 0u);
    BOOST_TEST_REQUIRE(root.parts.size() == 3u);
    const auto& alternative = root.parts[0];
    BOOST_TEST(alternative.header("content-type").find("multipart/alternative") == 0u);
    BOOST_TEST_REQUIRE(alternative.parts.size() == 2u);
    BOOST_TEST(alternative.parts[0].header("content-type") == "text/plain; charset=UTF-8");
    BOOST_TEST(alternative.parts[0].header("content-transfer-encoding") == "quoted-printable");
    BOOST_TEST(decode_quoted_printable(alternative.parts[0].body).find("Bonjour Amélie,\r\nVotre inscription") == 0u);
    BOOST_TEST(alternative.parts[1].header("content-type") == "text/html; charset=UTF-8");
    BOOST_TEST(decode_quoted_printable(alternative.parts[1].body).find("<p>Bonjour Amélie,</p>") == 0u);
    BOOST_TEST(root.parts[1].header("content-disposition") == "attachment; filename=\"invite.ics\"");
    BOOST_TEST(decode_base64(root.parts[1].body) == m.attachments[0].data);
    BOOST_TEST(root.parts[2].header("content-type") == "image/png; name=\"ticket.png\"");
    BOOST_TEST(decode_base64(root.parts[2].body) == m.attachments[1].data);
    BOOST_TEST(in::build_mime(m) == text);  // the same row always gives the same text
}

BOOST_AUTO_TEST_SUITE_END()
