// A small reader of the mail text we write, so tests check structure by parsing it back.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ensemble::test {

struct mime_part {
    std::map<std::string, std::string> headers;  // lower-case names, unfolded values
    std::string body;                            // raw (still transfer-encoded)
    std::vector<mime_part> parts;                // for multipart/*
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// Splits headers from body (CRLF), unfolds headers, recurses into multipart bodies by boundary.
mime_part parse_mime(std::string_view text);
std::string decode_base64(std::string_view text);
std::string decode_quoted_printable(std::string_view text);
// Decodes every =?UTF-8?B?...?= word in a header value (whitespace between words dropped).
std::string decode_rfc2047(std::string_view value);

}  // namespace ensemble::test
