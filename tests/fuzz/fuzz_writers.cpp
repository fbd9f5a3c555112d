// libFuzzer target: the CSV and iCalendar writers and the Markdown renderer with attendee- and
// organizer-supplied text: CSV cells never start a formula and quote what they must; .ics lines
// stay within 75 octets and never split a UTF-8 sequence; Markdown never lets raw HTML through.
#include "core/domain/registration.hpp"
#include "core/text/csv.hpp"
#include "core/text/markdown.hpp"
#include "integrations/calendar/ics.hpp"

#include <cstdlib>
#include <string>

using namespace ensemble;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);

    std::string cell = core::csv_cell(text);
    std::string_view body = cell;
    if (!body.empty() && body.front() == '"') body = body.substr(1);
    if (!body.empty() && (body.front() == '=' || body.front() == '+' || body.front() == '-' || body.front() == '@')) std::abort();
    if (cell.find_first_of("\r\n,\"") != std::string::npos && cell.front() != '"') std::abort();

    integrations::ics_event e;
    e.uid = "fuzz@example.org";
    e.summary = text;
    e.description = text;
    e.location = text;
    std::string ics = integrations::make_ics(e);
    const bool valid_utf8 = core::is_clean_text(text);
    std::size_t start = 0;
    while (start < ics.size()) {
        auto end = ics.find("\r\n", start);
        if (end == std::string::npos) std::abort();  // every line ends in CRLF
        if (end - start > 75) std::abort();
        // A continuation never starts inside a UTF-8 sequence (for valid UTF-8, which is all the API takes).
        if (valid_utf8 && start > 0 && ics[start] == ' ' && start + 1 < ics.size() && (static_cast<unsigned char>(ics[start + 1]) & 0xC0) == 0x80) {
            if (end - start > 1) std::abort();
        }
        start = end + 2;
    }
    std::string escaped = integrations::escape_ics_text(text);
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        char c = escaped[i];
        if (c == '\n' || c == '\r') std::abort();
        if ((c == ';' || c == ',') && (i == 0 || escaped[i - 1] != '\\')) std::abort();
    }

    std::string html = core::markdown_to_html(text);
    if (html.find("<script") != std::string::npos || html.find("<iframe") != std::string::npos) std::abort();
    if (html.find("href=\"javascript:") != std::string::npos) std::abort();
    return 0;
}
