// Rules of an event description: formats, seats per mode, times, agenda, questions, links.
#include "core/domain/event.hpp"
#include "core/domain/registration_record.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace ensemble::core {

const char* mode_name(mode m) noexcept { return m == mode::in_person ? "in_person" : "online"; }

std::optional<mode> parse_mode(std::string_view s) noexcept {
    if (s == "in_person") return mode::in_person;
    if (s == "online") return mode::online;
    return std::nullopt;
}

bool is_valid_slug(std::string_view slug) noexcept {
    if (slug.empty() || slug.size() > 80) return false;
    bool any_letter = false;
    for (char c : slug) {
        if (c >= 'a' && c <= 'z') any_letter = true;
        else if (!((c >= '0' && c <= '9') || c == '-')) return false;
    }
    return any_letter && slug.front() != '-' && slug.back() != '-';
}

bool is_http_url(std::string_view url) noexcept {
    auto starts = [&](std::string_view p) { return url.size() > p.size() && url.substr(0, p.size()) == p; };
    if (!(starts("https://") || starts("http://"))) return false;
    if (url.size() > 2000) return false;
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\') return false;
    return true;
}

namespace {

// Decodes one UTF-8 code point; returns 0xFFFD on malformed input and advances at least one byte.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    i += static_cast<std::size_t>(len);
    return cp;
}

std::string_view fold_latin(char32_t cp) {
    switch (cp) {
        case U'à': case U'á': case U'â': case U'ã': case U'ä': case U'å': case U'À': case U'Á': case U'Â': case U'Ã': case U'Ä': case U'Å': return "a";
        case U'ç': case U'Ç': return "c";
        case U'è': case U'é': case U'ê': case U'ë': case U'È': case U'É': case U'Ê': case U'Ë': return "e";
        case U'ì': case U'í': case U'î': case U'ï': case U'Ì': case U'Í': case U'Î': case U'Ï': return "i";
        case U'ñ': case U'Ñ': return "n";
        case U'ò': case U'ó': case U'ô': case U'õ': case U'ö': case U'Ò': case U'Ó': case U'Ô': case U'Õ': case U'Ö': return "o";
        case U'ù': case U'ú': case U'û': case U'ü': case U'Ù': case U'Ú': case U'Û': case U'Ü': return "u";
        case U'ý': case U'ÿ': case U'Ý': return "y";
        case U'œ': case U'Œ': return "oe";
        case U'æ': case U'Æ': return "ae";
        default: return {};
    }
}

void check_text(field_errors& errors, const std::string& path, const bilingual& t, bool required, std::size_t max) {
    if (required && t.empty()) errors[path] = "is required in English or French";
    if (t.en.size() > max) errors[path + ".en"] = "is longer than " + std::to_string(max) + " bytes";
    if (t.fr.size() > max) errors[path + ".fr"] = "is longer than " + std::to_string(max) + " bytes";
}

bool is_identifier(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

}  // namespace

std::string slugify(std::string_view title) {
    std::string out;
    bool dash = false;
    for (std::size_t i = 0; i < title.size();) {
        char32_t cp = next_code_point(title, i);
        std::string_view folded;
        char ascii[2] = {0, 0};
        if (cp < 0x80 && std::isalnum(static_cast<int>(cp))) {
            ascii[0] = static_cast<char>(std::tolower(static_cast<int>(cp)));
            folded = std::string_view(ascii, 1);
        } else {
            folded = fold_latin(cp);
        }
        if (folded.empty()) {
            dash = !out.empty();
            continue;
        }
        if (dash) out += '-';
        dash = false;
        out += folded;
        if (out.size() >= 72) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.empty() || std::all_of(out.begin(), out.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-'; }))
        out = "event" + (out.empty() ? std::string() : "-" + out);
    return out;
}

field_errors validate_event(const event_spec& e) {
    field_errors errors;
    check_text(errors, "title", e.title, true, 300);
    check_text(errors, "summary", e.summary, false, 2000);
    check_text(errors, "description", e.description, false, 60000);
    if (!e.slug.empty() && !is_valid_slug(e.slug))
        errors["slug"] = "must be 1 to 80 lower-case letters, digits and dashes, with at least one letter";
    if (e.format != "in_person" && e.format != "online" && e.format != "hybrid")
        errors["format"] = "must be in_person, online or hybrid";
    if (!is_valid_timezone(e.timezone)) errors["timezone"] = "must be an IANA time zone such as America/Toronto";
    if (e.ends_at <= e.starts_at) errors["ends_at"] = "must be after starts_at";

    if (e.format != "online") {
        if (!e.where) errors["venue"] = "is required unless the format is online";
        else if (e.where->name.empty()) errors["venue.name"] = "is required";
    }
    if (e.where) {
        const venue& v = *e.where;
        for (auto [name, value] : {std::pair{"name", &v.name}, {"address", &v.address}, {"city", &v.city},
                                   {"province", &v.province}, {"postal_code", &v.postal_code}})
            if (value->size() > 300) errors[std::string("venue.") + name] = "is longer than 300 bytes";
    }

    constexpr long long max_capacity = 1'000'000;
    if (e.capacity_in_person < 0 || e.capacity_in_person > max_capacity)
        errors["capacity.in_person"] = "must be between 0 and 1000000";
    else if (e.format == "online" && e.capacity_in_person != 0)
        errors["capacity.in_person"] = "must be 0 or absent for an online event";
    if (e.capacity_online < 0 || e.capacity_online > max_capacity)
        errors["capacity.online"] = "must be between 0 and 1000000";
    else if (e.format == "in_person" && e.capacity_online != 0)
        errors["capacity.online"] = "must be 0 or absent for an in-person event";

    if (e.registration.opens_at && e.registration.closes_at && *e.registration.closes_at <= *e.registration.opens_at)
        errors["registration.closes_at"] = "must be after registration.opens_at";

    if (e.languages.empty()) errors["languages"] = "must list at least one of en, fr";
    for (std::size_t i = 0; i < e.languages.size(); ++i) {
        const auto& l = e.languages[i];
        if (l != "en" && l != "fr") errors["languages[" + std::to_string(i) + "]"] = "must be en or fr";
        if (std::count(e.languages.begin(), e.languages.end(), l) > 1) errors["languages"] = "lists a language twice";
    }

    std::set<std::string> question_ids;
    if (e.questions.size() > 50) errors["questions"] = "has more than 50 questions";
    for (std::size_t i = 0; i < e.questions.size(); ++i) {
        const question& q = e.questions[i];
        std::string path = "questions[" + std::to_string(i) + "]";
        if (!is_identifier(q.id)) errors[path + ".id"] = "must be 1 to 64 letters, digits, '_' or '-'";
        else if (!question_ids.insert(q.id).second) errors[path + ".id"] = "is used by another question";
        check_text(errors, path + ".label", q.label, true, 500);
        bool with_options = q.type == "choice" || q.type == "multi";
        if (q.type != "text" && q.type != "boolean" && !with_options)
            errors[path + ".type"] = "must be text, choice, multi or boolean";
        if (with_options && q.options.empty()) errors[path + ".options"] = "must list at least one option";
        if (!with_options && !q.options.empty()) errors[path + ".options"] = "are only for choice and multi questions";
        std::set<std::string> option_ids;
        for (std::size_t k = 0; k < q.options.size(); ++k) {
            std::string opath = path + ".options[" + std::to_string(k) + "]";
            if (!is_identifier(q.options[k].id)) errors[opath + ".id"] = "must be 1 to 64 letters, digits, '_' or '-'";
            else if (!option_ids.insert(q.options[k].id).second) errors[opath + ".id"] = "is used by another option";
            check_text(errors, opath + ".label", q.options[k].label, true, 300);
        }
    }

    std::set<std::string> speaker_ids;
    for (std::size_t i = 0; i < e.speakers.size(); ++i) {
        const speaker& s = e.speakers[i];
        std::string path = "speakers[" + std::to_string(i) + "]";
        if (!is_identifier(s.id)) errors[path + ".id"] = "must be 1 to 64 letters, digits, '_' or '-'";
        else if (!speaker_ids.insert(s.id).second) errors[path + ".id"] = "is used by another speaker";
        if (s.name.empty()) errors[path + ".name"] = "is required";
        if (s.name.size() > 200) errors[path + ".name"] = "is longer than 200 bytes";
        check_text(errors, path + ".bio", s.bio, false, 5000);
        if (s.affiliation.size() > 300) errors[path + ".affiliation"] = "is longer than 300 bytes";
    }

    for (std::size_t i = 0; i < e.sessions.size(); ++i) {
        const agenda_session& s = e.sessions[i];
        std::string path = "sessions[" + std::to_string(i) + "]";
        check_text(errors, path + ".title", s.title, true, 500);
        if (s.ends_at <= s.starts_at) errors[path + ".ends_at"] = "must be after starts_at";
        if (s.room.size() > 200) errors[path + ".room"] = "is longer than 200 bytes";
        for (std::size_t k = 0; k < s.speakers.size(); ++k)
            if (!speaker_ids.contains(s.speakers[k]))
                errors[path + ".speakers[" + std::to_string(k) + "]"] = "is not the id of a speaker of this event";
    }

    for (std::size_t i = 0; i < e.partners.size(); ++i) {
        const partner& p = e.partners[i];
        std::string path = "partners[" + std::to_string(i) + "]";
        if (p.name.empty()) errors[path + ".name"] = "is required";
        if (p.name.size() > 300) errors[path + ".name"] = "is longer than 300 bytes";
        if (p.role != "host" && p.role != "partner" && p.role != "collaborator" && p.role != "sponsor")
            errors[path + ".role"] = "must be host, partner, collaborator or sponsor";
        if (!p.url.empty() && !is_http_url(p.url)) errors[path + ".url"] = "must be an http or https address";
    }

    const online_settings& o = e.online;
    if (o.provider != "zoom" && o.provider != "manual" && o.provider != "none")
        errors["online.provider"] = "must be zoom, manual or none";
    else if (e.format == "in_person" && o.provider != "none")
        errors["online.provider"] = "must be none for an in-person event";
    if (o.zoom_type != "meeting" && o.zoom_type != "webinar") errors["online.zoom_type"] = "must be meeting or webinar";
    if (!o.join_url.empty()) {
        if (o.provider != "manual") errors["online.join_url"] = "is only for the manual provider";
        else if (!is_http_url(o.join_url)) errors["online.join_url"] = "must be an http or https address";
    }
    if (o.passcode.size() > 64) errors["online.passcode"] = "is longer than 64 bytes";
    if (!e.recording_url.empty() && !is_http_url(e.recording_url))
        errors["recording_url"] = "must be an http or https address";
    return errors;
}

std::string fold_for_search(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t start = i;
        char32_t cp = next_code_point(text, i);
        if (cp < 0x80) {
            out += static_cast<char>(std::tolower(static_cast<int>(cp)));
            continue;
        }
        std::string_view folded = fold_latin(cp);
        if (!folded.empty()) out += folded;
        else out.append(text.substr(start, i - start));
    }
    return out;
}

std::string search_key(std::string_view name, std::string_view email) {
    return fold_for_search(name) + " " + fold_for_search(email);
}

}  // namespace ensemble::core
