// Writing mail text: encoded headers, body encodings and the multipart structure.
#include "integrations/mail/mime.hpp"

#include "core/security/crypto.hpp"

#include <chrono>
#include <cstdio>

namespace ensemble::integrations {
namespace {

constexpr std::size_t max_line = 76;

bool is_plain_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

std::string without_line_breaks(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\r' || c == '\n') {
            if (!out.empty() && out.back() != ' ') out += ' ';
            continue;
        }
        out += c;
    }
    return out;
}

// Length of the UTF-8 sequence starting with byte `c` (1 for a stray continuation byte).
std::size_t utf8_length(unsigned char c) {
    if (c >= 0xF0) return 4;
    if (c >= 0xE0) return 3;
    if (c >= 0xC0) return 2;
    return 1;
}

// Folds an ASCII header value at spaces so lines stay near 78 characters.
std::string fold_ascii(std::string_view text, std::size_t used) {
    std::string out;
    std::size_t line = used;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t space = text.find(' ', pos + 1);
        std::size_t end = space == std::string_view::npos ? text.size() : space;
        std::string_view word = text.substr(pos, end - pos);
        if (line + word.size() > 78 && !out.empty() && word.front() == ' ') {
            out += "\r\n";
            line = 0;
        }
        out.append(word);
        line += word.size();
        pos = end;
    }
    return out;
}

bool needs_quoting(std::string_view name) {
    for (char c : name)
        if (std::string_view("()<>[]:;@\\,.\"").find(c) != std::string_view::npos) return true;
    return false;
}

std::string boundary_of(const email_message& m, std::string_view part) {
    return "=_ensemble_" + std::string(part) + "_" + core::sha256_hex(m.message_id + m.to.email).substr(0, 24);
}

}  // namespace

mail_address parse_mail_address(std::string_view text) {
    mail_address a;
    auto lt = text.rfind('<');
    auto gt = text.rfind('>');
    if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
        a.email = std::string(text.substr(lt + 1, gt - lt - 1));
        std::string name(text.substr(0, lt));
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
        while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.erase(0, 1);
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
        a.name = name;
    } else {
        std::string e(text);
        while (!e.empty() && e.back() == ' ') e.pop_back();
        while (!e.empty() && e.front() == ' ') e.erase(0, 1);
        a.email = e;
    }
    return a;
}

std::string encode_header_text(std::string_view raw, std::size_t used) {
    std::string text = without_line_breaks(raw);
    if (is_plain_ascii(text)) return fold_ascii(text, used);
    // Each encoded-word: "=?UTF-8?B?" + base64 + "?=" within 75 characters: at most 45 bytes of text.
    std::string out;
    std::size_t pos = 0;
    std::size_t budget = used + 12 + 60 > 76 ? (used < 60 ? (76 - used - 12) / 4 * 3 : 3) : 45;
    while (pos < text.size()) {
        std::size_t end = pos;
        while (end < text.size()) {
            std::size_t n = utf8_length(static_cast<unsigned char>(text[end]));
            if (end + n - pos > budget) break;
            end += n;
        }
        if (end == pos) end = std::min(text.size(), pos + utf8_length(static_cast<unsigned char>(text[pos])));
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + core::base64(std::string_view(text).substr(pos, end - pos)) + "?=";
        pos = end;
        budget = 45;
    }
    return out;
}

std::string format_address(const mail_address& a) {
    std::string name = without_line_breaks(a.name);
    if (name.empty()) return a.email;
    if (!is_plain_ascii(name)) return encode_header_text(name) + " <" + a.email + ">";
    if (!needs_quoting(name)) return name + " <" + a.email + ">";
    std::string quoted = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "\" <" + a.email + ">";
}

std::string quoted_printable(std::string_view text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 11 / 10 + 16);
    std::string line;
    auto flush_line = [&](bool hard) {
        // Trailing spaces and tabs are encoded so that transports cannot strip them.
        if (hard && !line.empty() && (line.back() == ' ' || line.back() == '\t')) {
            char c = line.back();
            line.pop_back();
            line += c == ' ' ? "=20" : "=09";
            if (line.size() > max_line) {
                out += line.substr(0, line.size() - 3) + "=\r\n";
                line = line.substr(line.size() - 3);
            }
        }
        out += line;
        out += hard ? "\r\n" : "=\r\n";
        line.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        if (c == '\n') {
            flush_line(true);
            continue;
        }
        std::string piece;
        if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') piece = std::string(1, static_cast<char>(c));
        else piece = {'=', hex[c >> 4], hex[c & 15]};
        if (line.size() + piece.size() > max_line - 1) flush_line(false);
        line += piece;
    }
    if (!line.empty()) flush_line(true);
    return out;
}

std::string base64_lines(std::string_view bytes) {
    std::string encoded = core::base64(bytes);
    std::string out;
    out.reserve(encoded.size() + encoded.size() / max_line * 2 + 2);
    for (std::size_t pos = 0; pos < encoded.size(); pos += max_line) {
        out.append(encoded, pos, max_line);
        out += "\r\n";
    }
    return out;
}

std::string rfc5322_date(core::instant t) {
    auto secs = std::chrono::floor<std::chrono::seconds>(t);
    auto day = std::chrono::floor<std::chrono::days>(secs);
    std::chrono::year_month_day ymd(day);
    std::chrono::hh_mm_ss hms(secs - day);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::chrono::weekday wd(day);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", days[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                  months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return buf;
}

std::string mail_domain(std::string_view email) {
    auto at = email.rfind('@');
    if (at == std::string_view::npos || at + 1 >= email.size()) return "localhost";
    return std::string(email.substr(at + 1));
}

std::string build_mime(const email_message& m) {
    std::string mixed = boundary_of(m, "mixed");
    std::string alternative = boundary_of(m, "alt");
    std::string out;
    out.reserve(m.text.size() + m.html.size() + 4096);
    auto header = [&](std::string_view name, const std::string& value) {
        out.append(name);
        out += ": ";
        out += value;
        out += "\r\n";
    };
    header("From", format_address(m.from));
    header("To", format_address(m.to));
    header("Subject", encode_header_text(m.subject, 9));
    header("Date", rfc5322_date(m.date));
    header("Message-ID", m.message_id);
    header("MIME-Version", "1.0");
    header("Auto-Submitted", "auto-generated");
    for (const auto& [name, value] : m.extra_headers) header(name, without_line_breaks(value));
    header("Content-Type", "multipart/mixed; boundary=\"" + mixed + "\"");
    out += "\r\nThis is a multi-part message in MIME format.\r\n";

    out += "\r\n--" + mixed + "\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + alternative + "\"\r\n\r\n";
    out += "--" + alternative + "\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += quoted_printable(m.text);
    out += "\r\n--" + alternative + "\r\n";
    out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += quoted_printable(m.html);
    out += "\r\n--" + alternative + "--\r\n";

    for (const auto& a : m.attachments) {
        std::string filename = without_line_breaks(a.filename);
        std::string quoted;
        for (char c : filename)
            if (c != '"' && c != '\\') quoted += c;
        out += "\r\n--" + mixed + "\r\n";
        out += "Content-Type: " + a.content_type + "; name=\"" + quoted + "\"\r\n";
        out += "Content-Disposition: attachment; filename=\"" + quoted + "\"\r\n";
        out += "Content-Transfer-Encoding: base64\r\n\r\n";
        out += base64_lines(a.data);
    }
    out += "\r\n--" + mixed + "--\r\n";
    return out;
}

}  // namespace ensemble::integrations
