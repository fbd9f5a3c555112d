// Parsing MIME back for the tests.
#include "tests/integrations/mail_parsing.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace ensemble::test {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string boundary_of(const std::string& content_type) {
    auto pos = content_type.find("boundary=\"");
    if (pos == std::string::npos) return {};
    pos += 10;
    return content_type.substr(pos, content_type.find('"', pos) - pos);
}

}  // namespace

mime_part parse_mime(std::string_view text) {
    mime_part part;
    auto end = text.find("\r\n\r\n");
    if (end == std::string_view::npos) throw std::runtime_error("no blank line after the headers");
    std::string_view head = text.substr(0, end);
    part.body = std::string(text.substr(end + 4));
    std::string current;
    auto flush = [&] {
        if (current.empty()) return;
        auto colon = current.find(':');
        if (colon == std::string::npos) throw std::runtime_error("bad header line: " + current);
        std::string value = current.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        part.headers[lower(current.substr(0, colon))] = value;
        current.clear();
    };
    std::size_t pos = 0;
    while (pos <= head.size()) {
        auto eol = head.find("\r\n", pos);
        std::string_view line = head.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) current += std::string(line.substr(1)).insert(0, " ");
        else {
            flush();
            current = std::string(line);
        }
        if (eol == std::string_view::npos) break;
        pos = eol + 2;
    }
    flush();
    std::string boundary = boundary_of(part.header("content-type"));
    if (!boundary.empty()) {
        std::string delimiter = "--" + boundary;
        std::size_t at = part.body.find(delimiter);
        while (at != std::string::npos) {
            std::size_t start = at + delimiter.size();
            if (part.body.compare(start, 2, "--") == 0) break;
            start += 2;  // CRLF
            std::size_t next = part.body.find("\r\n" + delimiter, start);
            if (next == std::string::npos) throw std::runtime_error("unterminated multipart");
            part.parts.push_back(parse_mime(std::string_view(part.body).substr(start, next - start)));
            at = next + 2;
        }
    }
    return part;
}

std::string decode_base64(std::string_view text) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int bits = 0, value = 0;
    for (char c : text) {
        auto i = alphabet.find(c);
        if (i == std::string::npos) continue;
        value = (value << 6) | static_cast<int>(i);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    return out;
}

std::string decode_quoted_printable(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '=' && i + 2 < text.size() + 1) {
            if (text.substr(i + 1, 2) == "\r\n") {
                i += 2;
                continue;
            }
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string decode_rfc2047(std::string_view value) {
    std::string out;
    std::size_t pos = 0;
    bool last_was_word = false;
    while (pos < value.size()) {
        auto start = value.find("=?UTF-8?B?", pos);
        if (start == std::string_view::npos) {
            out += value.substr(pos);
            break;
        }
        std::string_view between = value.substr(pos, start - pos);
        bool only_space = std::all_of(between.begin(), between.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
        if (!(last_was_word && only_space)) out += between;
        auto end = value.find("?=", start + 10);
        out += decode_base64(value.substr(start + 10, end - start - 10));
        pos = end + 2;
        last_was_word = true;
    }
    return out;
}

}  // namespace ensemble::test
