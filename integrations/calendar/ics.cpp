// Writing iCalendar text.
#include "integrations/calendar/ics.hpp"

namespace ensemble::integrations {

std::string escape_ics_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        switch (c) {
            case '\\': out += "\\\\"; break;
            case ';': out += "\\;"; break;
            case ',': out += "\\,"; break;
            case '\r':
                if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
                out += "\\n";
                break;
            case '\n': out += "\\n"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t') continue;  // controls are not allowed in TEXT
                out += c;
        }
    }
    return out;
}

std::string fold_ics_line(std::string_view line) {
    std::string out;
    std::size_t limit = 75;  // first line 75 octets; continuation lines 74 plus the leading space
    std::size_t pos = 0;
    while (line.size() - pos > limit) {
        std::size_t cut = pos + limit;
        while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
        if (cut == pos) cut = pos + limit;  // no character start in reach (not UTF-8): cut anyway, never loop
        out.append(line.substr(pos, cut - pos));
        out += "\r\n ";
        pos = cut;
        limit = 74;
    }
    out.append(line.substr(pos));
    out += "\r\n";
    return out;
}

std::string make_ics(const ics_event& e) {
    std::string out;
    auto line = [&](std::string_view text) { out += fold_ics_line(text); };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Ensemble//Event Registration//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("BEGIN:VEVENT");
    line("UID:" + e.uid);
    line("DTSTAMP:" + core::format_ics_utc(e.stamp));
    line("DTSTART:" + core::format_ics_utc(e.starts_at));
    line("DTEND:" + core::format_ics_utc(e.ends_at));
    line("SEQUENCE:" + std::to_string(e.sequence));
    line("SUMMARY:" + escape_ics_text(e.summary));
    if (!e.description.empty()) line("DESCRIPTION:" + escape_ics_text(e.description));
    if (!e.location.empty()) line("LOCATION:" + escape_ics_text(e.location));
    if (!e.url.empty()) line("URL:" + e.url);
    if (!e.organizer_email.empty()) {
        std::string name = escape_ics_text(e.organizer_name);
        std::string quoted;
        for (char c : name)
            if (c != '"') quoted += c;
        line("ORGANIZER;CN=\"" + quoted + "\":mailto:" + e.organizer_email);
    }
    line(e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    line("TRANSP:OPAQUE");
    line("END:VEVENT");
    line("END:VCALENDAR");
    return out;
}

}  // namespace ensemble::integrations
