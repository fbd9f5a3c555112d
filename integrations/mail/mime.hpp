// RFC 5322 / MIME mail text: RFC 2047 headers, quoted-printable and base64 bodies, attachments.
#pragma once

#include "core/domain/time.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ensemble::integrations {

struct mail_address {
    std::string name;   // display name, any UTF-8; may be empty
    std::string email;  // addr-spec, ASCII
};

struct mail_attachment {
    std::string filename;
    std::string content_type;  // "image/png", "text/calendar; charset=UTF-8; method=PUBLISH"
    std::string data;          // raw bytes
};

struct email_message {
    mail_address from;
    mail_address to;
    std::string subject;
    std::string text;  // text/plain body, UTF-8
    std::string html;  // text/html body, UTF-8
    std::vector<mail_attachment> attachments;
    std::string message_id;  // "<...@host>", fixed per outbox row so retries are recognisable
    core::instant date{};
    std::vector<std::pair<std::string, std::string>> extra_headers;  // ASCII values
};

// "Ada <a@x.org>" or "a@x.org" into its parts; a bare address has an empty name.
mail_address parse_mail_address(std::string_view text);

// A header value as RFC 2047 encoded-words (UTF-8, B encoding) when it holds anything but
// printable ASCII; words stay within 75 characters and never split a UTF-8 sequence. Line breaks
// in the input are removed (no header injection). `used` is how many characters the header name
// and its colon take on the first line.
std::string encode_header_text(std::string_view text, std::size_t used = 0);
// "Name <email>" for a header: the name quoted or RFC 2047 encoded as needed.
std::string format_address(const mail_address& a);

// Quoted-printable (RFC 2045) of UTF-8 text with CRLF line ends and soft breaks at 76 characters.
std::string quoted_printable(std::string_view text);
// Base64 in lines of 76 characters, each ended by CRLF.
std::string base64_lines(std::string_view bytes);
// "Thu, 26 Nov 2026 11:17:23 +0000".
std::string rfc5322_date(core::instant t);

// The whole message: multipart/mixed holding multipart/alternative (text, HTML) and the
// attachments; boundaries derived from the Message-ID, so the same message gives the same text.
std::string build_mime(const email_message& m);

// The domain part of an address ("x.org" for "a@x.org"); "localhost" when there is none.
std::string mail_domain(std::string_view email);

}  // namespace ensemble::integrations
