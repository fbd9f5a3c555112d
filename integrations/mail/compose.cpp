// Building each kind of email from the current state of its registration and event.
#include "integrations/mail/compose.hpp"

#include "core/security/crypto.hpp"
#include "integrations/calendar/registration_ics.hpp"
#include "integrations/qr/qr.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace ensemble::integrations {
namespace {

using core::registration_status;

std::string kind_name(const std::string& kind) { return kind.rfind("email.", 0) == 0 ? kind.substr(6) : kind; }

bool is_seat_notice(const std::string& k) { return k == "confirmation" || k == "promoted" || k == "switched"; }

std::string url_component(std::string_view s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string duration_text(std::chrono::minutes m, bool fr) {
    long long minutes = m.count();
    if (minutes < 1) minutes = 1;
    if (minutes >= 60 && (minutes % 60 == 0 || minutes >= 180)) {
        long long hours = (minutes + 30) / 60;
        if (fr) return std::to_string(hours) + (hours > 1 ? " heures" : " heure");
        return std::to_string(hours) + (hours > 1 ? " hours" : " hour");
    }
    if (fr) return std::to_string(minutes) + " minutes";
    return std::to_string(minutes) + (minutes > 1 ? " minutes" : " minute");
}

}  // namespace

std::string outbox_message_id(long long outbox_id, core::instant created_at, std::string_view domain) {
    std::string tag = core::sha256_hex("ensemble-outbox:" + std::to_string(outbox_id) + ":" + std::to_string(core::to_ms(created_at))).substr(0, 16);
    return "<outbox-" + std::to_string(outbox_id) + "." + tag + "@" + std::string(domain) + ">";
}

std::string describe_instant(core::instant t, std::string_view timezone, std::string_view lang) {
    std::string date = core::format_local_date(t, timezone);  // 2025-11-22
    std::string time = core::format_local_time(t, timezone);  // 09:30
    std::string zone = core::zone_abbreviation(t, timezone);
    int y = std::stoi(date.substr(0, 4)), mo = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
    int h = std::stoi(time.substr(0, 2)), mi = std::stoi(time.substr(3, 2));
    std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)), std::chrono::day(static_cast<unsigned>(d))};
    unsigned wd = std::chrono::weekday(std::chrono::sys_days(ymd)).c_encoding();
    char buf[128];
    if (lang == "fr") {
        static const char* days[] = {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};
        static const char* months[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"};
        std::snprintf(buf, sizeof buf, "%s %d%s %s %d à %d h %02d (%s)", days[wd], d, d == 1 ? "er" : "", months[mo - 1], y, h, mi, zone.c_str());
    } else {
        static const char* days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
        static const char* months[] = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};
        int h12 = h % 12 == 0 ? 12 : h % 12;
        std::snprintf(buf, sizeof buf, "%s, %s %d, %d at %d:%02d %s %s", days[wd], months[mo - 1], d, y, h12, mi, h < 12 ? "AM" : "PM", zone.c_str());
    }
    return buf;
}

std::optional<std::string> stale_reason(const mail_row& row, const core::services::delivery_facts& f, core::instant at) {
    if (!f.reg) return "the registration no longer exists";
    if (f.reg->erased_at) return "the registration was erased";
    if (!f.event) return "the event no longer exists";
    const auto& r = *f.reg;
    const auto& e = *f.event;
    std::string k = kind_name(row.kind);
    bool confirmed = r.status == registration_status::confirmed;
    if (k == "event_cancelled") return std::nullopt;
    if (k == "cancelled") return r.status == registration_status::cancelled ? std::nullopt : std::optional<std::string>("the registration is active again");
    if (e.status == "cancelled") return "the event was cancelled";
    if (k == "waitlisted") return r.status == registration_status::waitlisted ? std::nullopt : std::optional<std::string>("no longer on the waitlist");
    if (!confirmed) return "the registration is no longer confirmed";
    if (k == "join_link" && core::services::join_details_of(e, r).url.empty()) return "no join link to send";
    if (k == "recording" && e.spec.recording_url.empty()) return "the recording link was removed";
    if (k == "reminder") {
        if (e.status != "published") return "the event is not published";
        long long planned = row.payload.is_object() ? row.payload.value("starts_at", 0LL) : 0;
        if (planned != 0 && planned != core::to_ms(e.spec.starts_at)) return "the event moved; a new reminder will be planned";
        if (at >= e.spec.starts_at) return "the event has started";
    }
    return std::nullopt;
}

nlohmann::json template_values(const mail_row& row, const core::services::delivery_facts& f, const mail_context& ctx, core::instant at) {
    if (!f.reg || !f.event) throw std::runtime_error("email: the registration or event is missing");
    const auto& r = *f.reg;
    const auto& e = *f.event;
    const std::string& lang = r.language == "fr" ? r.language : std::string("en");
    bool fr = lang == "fr";
    bool online = r.mode == core::mode::online;
    auto join = core::services::join_details_of(e, r);
    nlohmann::json v = {
        {"lang", lang},
        {"name", r.name},
        {"email", r.email},
        {"event_title", e.spec.title.in(lang)},
        {"event_summary", e.spec.summary.in(lang)},
        {"event_url", ctx.public_url + "/events/" + e.spec.slug},
        {"manage_url", ctx.public_url + "/manage/" + r.manage_token},
        {"starts", describe_instant(e.spec.starts_at, e.spec.timezone, lang)},
        {"ends", describe_instant(e.spec.ends_at, e.spec.timezone, lang)},
        {"in_person", !online},
        {"online", online},
        {"mode_label", online ? (fr ? "en ligne" : "online") : (fr ? "en personne" : "in person")},
        {"confirmed", r.status == registration_status::confirmed},
        {"ticket_code", r.ticket_code},
        {"has_ticket", !online && r.status == registration_status::confirmed},
        {"join_url", join.url},
        {"passcode", join.passcode},
        {"has_join", !join.url.empty()},
        {"has_passcode", !join.passcode.empty()},
        {"join_pending", online && join.url.empty() && e.spec.online.provider != "none"},
        {"waitlist_position", f.waitlist_position > 0 ? std::to_string(f.waitlist_position) : std::string()},
        {"has_waitlist_position", f.waitlist_position > 0},
        {"recording_url", e.spec.recording_url},
        {"sender_name", ctx.from.name.empty() ? ctx.from.email : ctx.from.name},
        {"was_waitlisted", row.payload.is_object() && row.payload.value("previous_status", std::string()) == "waitlisted"},
        {"starts_in", duration_text(std::chrono::duration_cast<std::chrono::minutes>(e.spec.starts_at - at), fr)},
    };
    if (!online && e.spec.where) {
        std::string line = venue_line(*e.spec.where);
        v["venue"] = {{"name", e.spec.where->name},
                      {"address", line},
                      {"map_url", "https://www.openstreetmap.org/search?query=" + url_component(line)}};
    } else {
        v["venue"] = false;
    }
    return v;
}

email_message compose_email(const template_set& templates, const mail_row& row, const core::services::delivery_facts& f,
                            const mail_context& ctx, core::instant at) {
    auto values = template_values(row, f, ctx, at);
    const auto& r = *f.reg;
    const auto& e = *f.event;
    std::string k = kind_name(row.kind);
    auto rendered = templates.render(k, values["lang"].get<std::string>(), values);
    email_message m;
    m.from = ctx.from;
    m.to = {r.name, r.email};
    m.subject = rendered.subject;
    m.text = rendered.text;
    m.html = rendered.html;
    std::string domain = mail_domain(ctx.from.email);
    m.message_id = outbox_message_id(row.outbox_id, row.created_at, domain);
    m.date = at;
    m.extra_headers.emplace_back("X-Ensemble-Outbox-Id", std::to_string(row.outbox_id));
    m.extra_headers.emplace_back("X-Ensemble-Kind", row.kind);

    bool confirmed = r.status == registration_status::confirmed;
    if ((is_seat_notice(k) && confirmed) || k == "event_cancelled") {
        auto join = core::services::join_details_of(e, r);
        ics_context ic{ctx.public_url, ctx.from.name.empty() ? "Ensemble" : ctx.from.name, ctx.from.email, domain};
        std::string ics = make_ics(registration_ics_event(e, r, ic, join.url, join.passcode, at));
        m.attachments.push_back({"invite.ics", "text/calendar; charset=UTF-8; method=PUBLISH", std::move(ics)});
        if (is_seat_notice(k) && r.mode == core::mode::in_person) m.attachments.push_back({"ticket.png", "image/png", qr_png(r.ticket_code, 8)});
    }
    return m;
}

}  // namespace ensemble::integrations
