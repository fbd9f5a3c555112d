// JSON codec of events; field errors carry the JSON path of the bad value.
#include "core/domain/event_json.hpp"

#include "core/text/markdown.hpp"

#include <nlohmann/json.hpp>

namespace ensemble::core {
namespace {

using json = nlohmann::json;

class reader {
public:
    field_errors errors;

    std::string str(const json& obj, const std::string& key, const std::string& path, std::size_t max = 100000) {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return {};
        if (!it->is_string()) {
            errors[path] = "must be a string";
            return {};
        }
        auto s = it->get<std::string>();
        if (s.size() > max) errors[path] = "is longer than " + std::to_string(max) + " bytes";
        return s;
    }

    bilingual text(const json& obj, const std::string& key, const std::string& path) {
        bilingual out;
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return out;
        if (it->is_string()) {
            out.en = it->get<std::string>();
            return out;
        }
        if (!it->is_object()) {
            errors[path] = "must be an object {\"en\": ..., \"fr\": ...}";
            return out;
        }
        out.en = str(*it, "en", path + ".en");
        out.fr = str(*it, "fr", path + ".fr");
        return out;
    }

    long long integer(const json& obj, const std::string& key, const std::string& path, long long fallback) {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return fallback;
        if (!it->is_number_integer()) {
            errors[path] = "must be a whole number";
            return fallback;
        }
        return it->get<long long>();
    }

    bool boolean(const json& obj, const std::string& key, const std::string& path, bool fallback) {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return fallback;
        if (!it->is_boolean()) {
            errors[path] = "must be true or false";
            return fallback;
        }
        return it->get<bool>();
    }

    const json* object(const json& obj, const std::string& key, const std::string& path) {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return nullptr;
        if (!it->is_object()) {
            errors[path] = "must be an object";
            return nullptr;
        }
        return &*it;
    }

    const json* array(const json& obj, const std::string& key, const std::string& path, std::size_t max = 500) {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return nullptr;
        if (!it->is_array()) {
            errors[path] = "must be a list";
            return nullptr;
        }
        if (it->size() > max) {
            errors[path] = "has more than " + std::to_string(max) + " entries";
            return nullptr;
        }
        return &*it;
    }

    std::optional<instant> time(const json& obj, const std::string& key, const std::string& path, const std::string& tz,
                                bool required) {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) {
            if (required) errors[path] = "is required";
            return std::nullopt;
        }
        if (!it->is_string()) {
            errors[path] = "must be a date-time string";
            return std::nullopt;
        }
        auto parsed = parse_instant(it->get_ref<const std::string&>(), tz);
        if (!parsed) {
            errors[path] = parsed.error().fields.begin()->second;
            return std::nullopt;
        }
        return *parsed;
    }

    bool check_element_object(const json& element, const std::string& path) {
        if (!element.is_object()) {
            errors[path] = "must be an object";
            return false;
        }
        return true;
    }
};

json text_json(const bilingual& t) {
    json out = json::object();
    if (!t.en.empty()) out["en"] = t.en;
    if (!t.fr.empty()) out["fr"] = t.fr;
    return out;
}

}  // namespace

result<event_spec> event_spec_from_json(const json& body) {
    if (!body.is_object()) return invalid_field("body", "must be a JSON object");
    reader r;
    event_spec e;
    e.title = r.text(body, "title", "title");
    e.summary = r.text(body, "summary", "summary");
    e.description = r.text(body, "description", "description");
    e.slug = r.str(body, "slug", "slug", 200);
    e.format = r.str(body, "format", "format", 40);
    if (e.format.empty() && !r.errors.contains("format")) r.errors["format"] = "is required";
    e.timezone = r.str(body, "timezone", "timezone", 64);
    if (e.timezone.empty() && !r.errors.contains("timezone")) r.errors["timezone"] = "is required";
    const std::string& tz = e.timezone;

    auto starts = r.time(body, "starts_at", "starts_at", tz, true);
    auto ends = r.time(body, "ends_at", "ends_at", tz, true);
    if (starts) e.starts_at = *starts;
    if (ends) e.ends_at = *ends;

    if (const json* v = r.object(body, "venue", "venue")) {
        venue where;
        where.name = r.str(*v, "name", "venue.name");
        where.address = r.str(*v, "address", "venue.address");
        where.city = r.str(*v, "city", "venue.city");
        where.province = r.str(*v, "province", "venue.province");
        where.postal_code = r.str(*v, "postal_code", "venue.postal_code");
        e.where = where;
    }
    if (const json* c = r.object(body, "capacity", "capacity")) {
        e.capacity_in_person = r.integer(*c, "in_person", "capacity.in_person", 0);
        e.capacity_online = r.integer(*c, "online", "capacity.online", 0);
    }
    if (const json* reg = r.object(body, "registration", "registration")) {
        e.registration.opens_at = r.time(*reg, "opens_at", "registration.opens_at", tz, false);
        e.registration.closes_at = r.time(*reg, "closes_at", "registration.closes_at", tz, false);
        e.registration.waitlist = r.boolean(*reg, "waitlist", "registration.waitlist", true);
    }
    if (const json* langs = r.array(body, "languages", "languages", 2)) {
        for (std::size_t i = 0; i < langs->size(); ++i) {
            if (!(*langs)[i].is_string()) r.errors["languages[" + std::to_string(i) + "]"] = "must be en or fr";
            else e.languages.push_back((*langs)[i].get<std::string>());
        }
    } else if (!r.errors.contains("languages")) {
        if (!e.title.en.empty()) e.languages.push_back("en");
        if (!e.title.fr.empty()) e.languages.push_back("fr");
    }

    if (const json* qs = r.array(body, "questions", "questions", 50)) {
        for (std::size_t i = 0; i < qs->size(); ++i) {
            std::string path = "questions[" + std::to_string(i) + "]";
            const json& q = (*qs)[i];
            if (!r.check_element_object(q, path)) continue;
            question out;
            out.id = r.str(q, "id", path + ".id", 64);
            out.label = r.text(q, "label", path + ".label");
            out.type = r.str(q, "type", path + ".type", 20);
            out.required = r.boolean(q, "required", path + ".required", false);
            if (const json* opts = r.array(q, "options", path + ".options", 100)) {
                for (std::size_t k = 0; k < opts->size(); ++k) {
                    std::string opath = path + ".options[" + std::to_string(k) + "]";
                    const json& o = (*opts)[k];
                    if (!r.check_element_object(o, opath)) continue;
                    out.options.push_back({r.str(o, "id", opath + ".id", 64), r.text(o, "label", opath + ".label")});
                }
            }
            e.questions.push_back(std::move(out));
        }
    }
    if (const json* ss = r.array(body, "speakers", "speakers", 200)) {
        for (std::size_t i = 0; i < ss->size(); ++i) {
            std::string path = "speakers[" + std::to_string(i) + "]";
            const json& s = (*ss)[i];
            if (!r.check_element_object(s, path)) continue;
            speaker out;
            out.id = r.str(s, "id", path + ".id", 64);
            out.name = r.str(s, "name", path + ".name", 200);
            out.bio = r.text(s, "bio", path + ".bio");
            out.affiliation = r.str(s, "affiliation", path + ".affiliation", 300);
            e.speakers.push_back(std::move(out));
        }
    }
    if (const json* ss = r.array(body, "sessions", "sessions", 200)) {
        for (std::size_t i = 0; i < ss->size(); ++i) {
            std::string path = "sessions[" + std::to_string(i) + "]";
            const json& s = (*ss)[i];
            if (!r.check_element_object(s, path)) continue;
            agenda_session out;
            out.title = r.text(s, "title", path + ".title");
            if (auto t = r.time(s, "starts_at", path + ".starts_at", tz, true)) out.starts_at = *t;
            if (auto t = r.time(s, "ends_at", path + ".ends_at", tz, true)) out.ends_at = *t;
            out.room = r.str(s, "room", path + ".room", 200);
            if (const json* sp = r.array(s, "speakers", path + ".speakers", 50)) {
                for (std::size_t k = 0; k < sp->size(); ++k) {
                    if (!(*sp)[k].is_string()) r.errors[path + ".speakers[" + std::to_string(k) + "]"] = "must be a speaker id";
                    else out.speakers.push_back((*sp)[k].get<std::string>());
                }
            }
            e.sessions.push_back(std::move(out));
        }
    }
    if (const json* ps = r.array(body, "partners", "partners", 100)) {
        for (std::size_t i = 0; i < ps->size(); ++i) {
            std::string path = "partners[" + std::to_string(i) + "]";
            const json& p = (*ps)[i];
            if (!r.check_element_object(p, path)) continue;
            partner out;
            out.name = r.str(p, "name", path + ".name", 300);
            out.role = r.str(p, "role", path + ".role", 40);
            if (out.role.empty()) out.role = "partner";
            out.url = r.str(p, "url", path + ".url", 2000);
            e.partners.push_back(std::move(out));
        }
    }
    if (const json* o = r.object(body, "online", "online")) {
        e.online.provider = r.str(*o, "provider", "online.provider", 40);
        if (e.online.provider.empty()) e.online.provider = "none";
        e.online.zoom_type = r.str(*o, "zoom_type", "online.zoom_type", 40);
        if (e.online.zoom_type.empty()) e.online.zoom_type = "meeting";
        e.online.join_url = r.str(*o, "join_url", "online.join_url", 2000);
        e.online.passcode = r.str(*o, "passcode", "online.passcode", 200);
    } else if (e.format == "online" || e.format == "hybrid") {
        e.online.provider = "none";
    }
    e.recording_url = r.str(body, "recording_url", "recording_url", 2000);

    // Every problem at once: the rules run even when some fields did not read (those keep their reading error).
    for (auto& [k, v] : validate_event(e)) r.errors.emplace(k, v);
    if (!r.errors.empty()) return invalid(std::move(r.errors));
    return e;
}

json event_spec_to_json(const event_spec& e) {
    json out;
    out["slug"] = e.slug;
    out["title"] = text_json(e.title);
    out["summary"] = text_json(e.summary);
    out["description"] = text_json(e.description);
    out["format"] = e.format;
    out["timezone"] = e.timezone;
    out["starts_at"] = format_in_zone(e.starts_at, e.timezone);
    out["ends_at"] = format_in_zone(e.ends_at, e.timezone);
    if (e.where) {
        out["venue"] = {{"name", e.where->name},
                        {"address", e.where->address},
                        {"city", e.where->city},
                        {"province", e.where->province},
                        {"postal_code", e.where->postal_code}};
    } else {
        out["venue"] = nullptr;
    }
    out["capacity"] = {{"in_person", e.capacity_in_person}, {"online", e.capacity_online}};
    json reg = {{"waitlist", e.registration.waitlist}};
    reg["opens_at"] = e.registration.opens_at ? json(format_in_zone(*e.registration.opens_at, e.timezone)) : json(nullptr);
    reg["closes_at"] = e.registration.closes_at ? json(format_in_zone(*e.registration.closes_at, e.timezone)) : json(nullptr);
    out["registration"] = reg;
    out["languages"] = e.languages;
    json questions = json::array();
    for (const auto& q : e.questions) {
        json options = json::array();
        for (const auto& o : q.options) options.push_back({{"id", o.id}, {"label", text_json(o.label)}});
        questions.push_back({{"id", q.id}, {"label", text_json(q.label)}, {"type", q.type}, {"options", options},
                             {"required", q.required}});
    }
    out["questions"] = questions;
    json sessions = json::array();
    for (const auto& s : e.sessions)
        sessions.push_back({{"title", text_json(s.title)},
                            {"starts_at", format_in_zone(s.starts_at, e.timezone)},
                            {"ends_at", format_in_zone(s.ends_at, e.timezone)},
                            {"room", s.room},
                            {"speakers", s.speakers}});
    out["sessions"] = sessions;
    json speakers = json::array();
    for (const auto& s : e.speakers)
        speakers.push_back({{"id", s.id}, {"name", s.name}, {"bio", text_json(s.bio)}, {"affiliation", s.affiliation}});
    out["speakers"] = speakers;
    json partners = json::array();
    for (const auto& p : e.partners) partners.push_back({{"name", p.name}, {"role", p.role}, {"url", p.url}});
    out["partners"] = partners;
    json online = {{"provider", e.online.provider}, {"zoom_type", e.online.zoom_type}};
    if (!e.online.join_url.empty()) online["join_url"] = e.online.join_url;
    if (!e.online.passcode.empty()) online["passcode"] = e.online.passcode;
    out["online"] = online;
    out["recording_url"] = e.recording_url.empty() ? json(nullptr) : json(e.recording_url);
    return out;
}

json event_to_json(const event_record& e, event_view view) {
    json out = event_spec_to_json(e.spec);
    out["id"] = e.id;
    out["status"] = e.status;
    json& online = out["online"];
    online.erase("join_url");
    online.erase("passcode");
    if (view == event_view::organizer_view) {
        online["has_join_url"] = !e.spec.online.join_url.empty() || !e.zoom_id.empty();
        online["has_passcode"] = !e.spec.online.passcode.empty();
        if (!e.zoom_id.empty()) online["zoom_id"] = e.zoom_id;
        out["owner_id"] = e.owner_id;
        out["created_at"] = format_utc(e.created_at);
        out["updated_at"] = format_utc(e.updated_at);
    }
    auto seats = [](const seat_counts& s) {
        return json{{"capacity", s.capacity}, {"taken", s.taken}, {"remaining", s.remaining()}, {"waitlisted", s.waitlisted}};
    };
    out["seats"] = {{"in_person", seats(e.in_person)}, {"online", seats(e.online)}};
    out["description_html"] = {{"en", markdown_to_html(e.spec.description.en)},
                               {"fr", markdown_to_html(e.spec.description.fr)}};
    out["timezone_abbreviation"] = zone_abbreviation(e.spec.starts_at, e.spec.timezone);
    auto now_t = now();
    bool open = e.status == "published" && (!e.spec.registration.opens_at || *e.spec.registration.opens_at <= now_t) &&
                (!e.spec.registration.closes_at || now_t < *e.spec.registration.closes_at) && now_t < e.spec.ends_at;
    out["registration"]["open"] = open;
    return out;
}

}  // namespace ensemble::core
