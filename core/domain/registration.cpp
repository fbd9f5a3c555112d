// Registration rules: text hygiene, email form, answers against questions, seat placement.
#include "core/domain/registration.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace ensemble::core {

const char* status_name(registration_status s) noexcept {
    switch (s) {
        case registration_status::confirmed: return "confirmed";
        case registration_status::waitlisted: return "waitlisted";
        case registration_status::cancelled: return "cancelled";
    }
    return "cancelled";
}

std::optional<registration_status> parse_status(std::string_view s) noexcept {
    if (s == "confirmed") return registration_status::confirmed;
    if (s == "waitlisted") return registration_status::waitlisted;
    if (s == "cancelled") return registration_status::cancelled;
    return std::nullopt;
}

std::string trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string normalize_email(std::string_view email) {
    std::string out = trim(email);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

bool is_valid_email(std::string_view e) noexcept {
    if (e.size() < 3 || e.size() > 254) return false;
    auto at = e.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= e.size()) return false;
    auto local = e.substr(0, at);
    auto domain = e.substr(at + 1);
    for (char c : local) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '@' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' ||
            c == '>' || c == '[' || c == ']' || c == '\\' || c == '"')
            return false;
    }
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos)
        return false;
    for (char c : domain) {
        auto u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || c == '-' || c == '.' || u >= 0x80)) return false;
    }
    return true;
}

bool is_clean_text(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) return false;
            ++i;
            continue;
        }
        int len = (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) return false;
        char32_t cp = len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < len; ++k) {
            auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(len);
    }
    return true;
}

result<registration_request> registration_request_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return invalid_field("body", "must be a JSON object");
    registration_request r;
    field_errors errors;
    auto str = [&](const char* key, std::string& out) {
        auto it = body.find(key);
        if (it == body.end() || it->is_null()) return;
        if (!it->is_string()) errors[key] = "must be a string";
        else out = it->get<std::string>();
    };
    auto flag = [&](const char* key, bool& out) {
        auto it = body.find(key);
        if (it == body.end() || it->is_null()) return;
        if (!it->is_boolean()) errors[key] = "must be true or false";
        else out = it->get<bool>();
    };
    str("name", r.name);
    str("email", r.email);
    str("mode", r.mode);
    str("language", r.language);
    flag("waitlist", r.waitlist);
    flag("consent", r.consent);
    if (auto it = body.find("answers"); it != body.end() && !it->is_null()) {
        if (!it->is_object()) errors["answers"] = "must be an object of question id to answer";
        else r.answers = *it;
    }
    if (!errors.empty()) return invalid(std::move(errors));
    return r;
}

field_errors check_answers(const event_spec& e, const nlohmann::json& answers, nlohmann::json& cleaned) {
    field_errors errors;
    cleaned = nlohmann::json::object();
    for (const question& q : e.questions) {
        std::string path = "answers." + q.id;
        auto it = answers.find(q.id);
        bool missing = it == answers.end() || it->is_null() || (it->is_string() && trim(it->get_ref<const std::string&>()).empty()) ||
                       (it->is_array() && it->empty());
        if (missing) {
            if (q.required) errors[path] = "is required";
            continue;
        }
        const auto& a = *it;
        if (q.type == "text") {
            if (!a.is_string()) errors[path] = "must be text";
            else if (a.get_ref<const std::string&>().size() > 2000) errors[path] = "is longer than 2000 bytes";
            else if (!is_clean_text(a.get_ref<const std::string&>())) errors[path] = "contains characters that are not allowed";
            else cleaned[q.id] = trim(a.get_ref<const std::string&>());
        } else if (q.type == "boolean") {
            if (!a.is_boolean()) errors[path] = "must be true or false";
            else if (q.required && !a.get<bool>()) errors[path] = "must be accepted";
            else cleaned[q.id] = a.get<bool>();
        } else if (q.type == "choice") {
            auto known = a.is_string() && std::any_of(q.options.begin(), q.options.end(),
                                                       [&](const question_option& o) { return o.id == a.get_ref<const std::string&>(); });
            if (!known) errors[path] = "must be one of the question's option ids";
            else cleaned[q.id] = a;
        } else if (q.type == "multi") {
            if (!a.is_array()) {
                errors[path] = "must be a list of option ids";
                continue;
            }
            std::set<std::string> seen;
            nlohmann::json picked = nlohmann::json::array();
            for (const auto& v : a) {
                bool known = v.is_string() && std::any_of(q.options.begin(), q.options.end(),
                                                           [&](const question_option& o) { return o.id == v.get_ref<const std::string&>(); });
                if (!known) {
                    errors[path] = "must list only the question's option ids";
                    break;
                }
                if (seen.insert(v.get<std::string>()).second) picked.push_back(v);
            }
            if (!errors.contains(path)) cleaned[q.id] = picked;
        }
    }
    return errors;
}

result<checked_registration> check_registration(const event_record& e, const registration_request& r, instant at) {
    field_errors errors;
    checked_registration out;
    out.name = trim(r.name);
    if (out.name.empty()) errors["name"] = "is required";
    else if (out.name.size() > 200) errors["name"] = "is longer than 200 bytes";
    else if (!is_clean_text(out.name) || out.name.find('\n') != std::string::npos) errors["name"] = "contains characters that are not allowed";
    out.email = trim(r.email);
    out.email_norm = normalize_email(r.email);
    if (out.email.empty()) errors["email"] = "is required";
    else if (!is_clean_text(out.email) || !is_valid_email(out.email_norm)) errors["email"] = "is not a valid email address";
    auto m = parse_mode(r.mode);
    if (r.mode.empty()) errors["mode"] = "is required: in_person or online";
    else if (!m) errors["mode"] = "must be in_person or online";
    else if (!e.spec.has_mode(*m)) errors["mode"] = std::string("this event has no ") + (*m == mode::online ? "online" : "in-person") + " seats";
    else out.mode = *m;
    out.language = r.language.empty() ? (e.spec.languages.empty() ? "en" : e.spec.languages.front()) : r.language;
    if (out.language != "en" && out.language != "fr") errors["language"] = "must be en or fr";
    if (!r.consent) errors["consent"] = "must be true: the attendee agrees to the use of their data for this event";
    for (auto& [k, v] : check_answers(e.spec, r.answers, out.answers)) errors.emplace(k, v);
    out.waitlist = r.waitlist;

    if (e.status == "draft") return not_found("No such event.");
    if (e.status == "cancelled") errors["event"] = "this event was cancelled";
    else if (e.spec.registration.opens_at && at < *e.spec.registration.opens_at) errors["event"] = "registration has not opened yet";
    else if (e.spec.registration.closes_at && at >= *e.spec.registration.closes_at) errors["event"] = "registration is closed";
    else if (at >= e.spec.ends_at) errors["event"] = "this event is over";
    if (!errors.empty()) return invalid(std::move(errors));
    return out;
}

seat_outcome place(const seat_counts& pool, bool wants_waitlist, bool event_has_waitlist) noexcept {
    if (pool.taken < pool.capacity) return seat_outcome::confirm;
    if (wants_waitlist && event_has_waitlist) return seat_outcome::waitlist;
    return seat_outcome::full;
}

}  // namespace ensemble::core
