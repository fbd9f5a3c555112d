// Reports and retention.
#include "core/services/reports.hpp"

#include "core/store/events_repo.hpp"
#include "core/store/reports_repo.hpp"

namespace ensemble::core::services {

result<nlohmann::json> event_report(store::connection& c, const actor& who, std::string_view event_ref) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    auto e = store::load_event(c, head->id);
    if (!e) return not_found("No such event.");
    auto counts = store::report_counts(c, head->id);
    bool started = now() >= e->spec.starts_at;
    nlohmann::json modes = nlohmann::json::object();
    for (mode m : {mode::in_person, mode::online}) {
        if (!e->spec.has_mode(m)) continue;
        const auto& r = counts[mode_name(m)];
        long long attended = m == mode::in_person ? r.checked_in : r.joined_online;
        nlohmann::json j = {{"capacity", e->spec.capacity(m)},
                            {"registered", r.confirmed},
                            {"waitlisted", r.waitlisted},
                            {"cancelled", r.cancelled},
                            {"attended", attended},
                            {"no_shows", started ? nlohmann::json(std::max(0LL, r.confirmed - attended)) : nlohmann::json(nullptr)},
                            {"attendance_rate", r.confirmed > 0 && started ? nlohmann::json(static_cast<double>(attended) / static_cast<double>(r.confirmed))
                                                                           : nlohmann::json(nullptr)}};
        if (m == mode::online) j["checked_in_at_door"] = r.checked_in;
        modes[mode_name(m)] = j;
    }
    nlohmann::json days = nlohmann::json::array();
    for (const auto& d : store::registrations_per_day(c, head->id, e->spec.timezone))
        days.push_back({{"date", d.day}, {"in_person", d.in_person}, {"online", d.online}});

    // Breakdowns: one counter per option (choice, multi), yes/no (boolean), answered (text).
    std::map<std::string, std::map<std::string, std::map<std::string, long long>>> tally;  // question -> value -> mode -> n
    std::map<std::string, long long> answered;
    auto answers = store::active_answers(c, head->id);
    for (const auto& [mode_text, text] : answers) {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (!j.is_object()) continue;
        for (const auto& q : e->spec.questions) {
            auto it = j.find(q.id);
            if (it == j.end() || it->is_null()) continue;
            ++answered[q.id];
            if (q.type == "choice" && it->is_string()) ++tally[q.id][it->get<std::string>()][mode_text];
            else if (q.type == "multi" && it->is_array()) {
                for (const auto& v : *it)
                    if (v.is_string()) ++tally[q.id][v.get<std::string>()][mode_text];
            } else if (q.type == "boolean" && it->is_boolean()) {
                ++tally[q.id][it->get<bool>() ? "yes" : "no"][mode_text];
            }
        }
    }
    nlohmann::json questions = nlohmann::json::array();
    for (const auto& q : e->spec.questions) {
        nlohmann::json options = nlohmann::json::array();
        auto count_of = [&](const std::string& value) {
            const auto& per_mode = tally[q.id][value];
            long long ip = per_mode.count("in_person") ? per_mode.at("in_person") : 0;
            long long on = per_mode.count("online") ? per_mode.at("online") : 0;
            return nlohmann::json{{"total", ip + on}, {"in_person", ip}, {"online", on}};
        };
        if (q.type == "choice" || q.type == "multi") {
            for (const auto& o : q.options) {
                auto n = count_of(o.id);
                n["id"] = o.id;
                n["label"] = {{"en", o.label.en}, {"fr", o.label.fr}};
                options.push_back(n);
            }
        } else if (q.type == "boolean") {
            for (const char* v : {"yes", "no"}) {
                auto n = count_of(v);
                n["id"] = v;
                options.push_back(n);
            }
        }
        questions.push_back({{"id", q.id},
                             {"label", {{"en", q.label.en}, {"fr", q.label.fr}}},
                             {"type", q.type},
                             {"answered", answered[q.id]},
                             {"options", options}});
    }
    nlohmann::json report = {{"event", {{"id", e->id}, {"slug", e->spec.slug}, {"title", {{"en", e->spec.title.en}, {"fr", e->spec.title.fr}}},
                                         {"status", e->status}, {"format", e->spec.format},
                                         {"starts_at", format_in_zone(e->spec.starts_at, e->spec.timezone)},
                                         {"ends_at", format_in_zone(e->spec.ends_at, e->spec.timezone)}}},
                             {"generated_at", format_utc(now())},
                             {"in_person", modes.contains("in_person") ? modes["in_person"] : nlohmann::json(nullptr)},
                             {"online", modes.contains("online") ? modes["online"] : nlohmann::json(nullptr)},
                             {"registrations_over_time", days},
                             {"questions", questions}};
    long long total_attended = 0;
    for (const char* m : {"in_person", "online"})
        if (report[m].is_object()) total_attended += report[m]["attended"].get<long long>();
    report["attended_total"] = total_attended;
    return result<nlohmann::json>{boost::system::in_place_value, std::move(report)};
}

result<nlohmann::json> audit_log(store::connection& c, const actor& who, std::string_view event_ref, std::size_t limit) {
    if (!who.is_admin()) return make_failure(errc::forbidden, "Only an admin can read the audit log.");
    long long event_id = 0;
    if (!event_ref.empty()) {
        auto head = store::find_event_head(c, event_ref);
        if (!head) return not_found("No such event.");
        event_id = head->id;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : store::list_audit(c, event_id, std::min<std::size_t>(limit, 1000)))
        list.push_back({{"id", a.id},
                        {"at", format_utc(a.at)},
                        {"user_id", a.user_id ? nlohmann::json(a.user_id) : nlohmann::json(nullptr)},
                        {"user_email", a.user_email},
                        {"action", a.action},
                        {"event_id", a.event_id ? nlohmann::json(a.event_id) : nlohmann::json(nullptr)},
                        {"subject", a.subject},
                        {"detail", a.detail}});
    return result<nlohmann::json>{boost::system::in_place_value, nlohmann::json{{"entries", list}}};
}

long long apply_retention(store::connection& c, int days, instant at) {
    if (days <= 0) return 0;
    auto ids = store::anonymise_ended_events(c, at - std::chrono::days(days), at);
    for (long long id : ids) audit(c, actor{0, "system"}, "privacy.anonymise", id, "", "retention " + std::to_string(days) + " days");
    return static_cast<long long>(ids.size());
}

}  // namespace ensemble::core::services
