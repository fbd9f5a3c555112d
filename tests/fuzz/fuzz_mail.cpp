// libFuzzer target: attendee-supplied text through the email path: the Mustache templates (every
// value HTML-escaped in HTML bodies), RFC 2047 headers (no line break survives: no header
// injection) and the MIME builder.
#include "integrations/mail/mime.hpp"
#include "integrations/mail/templates.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

using namespace ensemble;

namespace {

std::unique_ptr<integrations::template_set> templates;
std::map<std::string, std::string> baseline_html;  // per language, every attendee value a harmless "Q"

std::size_t count_of(std::string_view haystack, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

// Markup from the input shows up raw when the rendered HTML holds the input more often than the same
// template rendered with harmless values does (the template's own markup may contain the input).
bool has_raw_markup(std::string_view html, std::string_view baseline, std::string_view needle) {
    return needle.find('<') != std::string_view::npos && needle.size() >= 3 && count_of(html, needle) > count_of(baseline, needle);
}

nlohmann::json values_of(const std::string& text) {
    return {{"name", text},
            {"event_title", text},
            {"venue", {{"name", text}, {"address", text}, {"map_url", "https://www.openstreetmap.org/search?query=x"}}},
            {"mode_label", text},
            {"has_ticket", true},
            {"ticket_code", text},
            {"in_person", true},
            {"sender_name", text},
            {"manage_url", "https://example.org/manage/x"},
            {"event_url", "https://example.org/events/x"}};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* dir = std::getenv("ENSEMBLE_TEMPLATES_DIR");
    templates = std::make_unique<integrations::template_set>(dir ? dir : "integrations/templates");
    for (const char* lang : {"en", "fr"}) baseline_html[lang] = templates->render("confirmation", lang, values_of("Q")).html;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);

    // Headers: never a bare line break, so no header can be injected.
    std::string subject = integrations::encode_header_text(text, 9);
    // Line breaks appear only as folds: CRLF followed by a space or tab.
    for (std::size_t i = 0; i < subject.size(); ++i) {
        if (subject[i] == '\r' && !(i + 2 < subject.size() && subject[i + 1] == '\n' && (subject[i + 2] == ' ' || subject[i + 2] == '\t')))
            std::abort();
        if (subject[i] == '\n' && (i == 0 || subject[i - 1] != '\r')) std::abort();
    }
    integrations::mail_address to{text, "attendee@example.org"};
    std::string address = integrations::format_address(to);
    if (address.find('\n') != std::string::npos && address.find("\r\n ") == std::string::npos) std::abort();

    // Templates: the attendee's name and the event's title come back escaped in HTML.
    nlohmann::json values = values_of(text);
    for (const char* lang : {"en", "fr"}) {
        auto mail = templates->render("confirmation", lang, values);
        if (has_raw_markup(mail.html, baseline_html[lang], text)) std::abort();
    }

    integrations::email_message m;
    m.from = {"Ensemble", "events@example.org"};
    m.to = to;
    m.subject = text;
    m.text = text;
    m.html = "<p>" + text + "</p>";
    m.message_id = "<outbox-1.fuzz@example.org>";
    std::string mime = integrations::build_mime(m);
    // The header block ends at the first blank line; nothing in it comes raw from the input.
    auto end = mime.find("\r\n\r\n");
    if (end == std::string::npos) std::abort();
    std::string_view head(mime.data(), end);
    if (text.find("\r\nBcc:") != std::string::npos && head.find("\r\nBcc:") != std::string_view::npos) std::abort();
    return 0;
}
