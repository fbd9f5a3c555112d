// Report and retention SQL.
#include "core/store/reports_repo.hpp"

#include "core/domain/event_json.hpp"
#include "core/store/events_repo.hpp"
#include "core/store/row.hpp"

#include <nlohmann/json.hpp>

namespace ensemble::core::store {

std::map<std::string, mode_report> report_counts(connection& c, long long event_id) {
    std::map<std::string, mode_report> out{{"in_person", {}}, {"online", {}}};
    soci::rowset<soci::row> rows =
        (c.sql.prepare << "SELECT mode, "
                          "COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), "
                          "COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0), "
                          "COALESCE(SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), 0), "
                          "COALESCE(SUM(CASE WHEN status = 'confirmed' AND checked_in_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
                          "FROM registrations WHERE event_id = :e GROUP BY mode",
         soci::use(event_id));
    for (const auto& r : rows) {
        auto& m = out[as_text(r, 0)];
        m.confirmed = as_int(r, 1);
        m.waitlisted = as_int(r, 2);
        m.cancelled = as_int(r, 3);
        m.checked_in = as_int(r, 4);
    }
    long long joined = 0;
    c.sql << "SELECT COUNT(DISTINCT a.registration_id) FROM zoom_attendance a JOIN registrations r ON r.id = a.registration_id "
             "WHERE a.event_id = :e AND a.joined_at IS NOT NULL AND r.mode = 'online' AND r.status = 'confirmed'",
        soci::use(event_id), soci::into(joined);
    out["online"].joined_online = joined;
    return out;
}

std::vector<day_count> registrations_per_day(connection& c, long long event_id, const std::string& timezone) {
    std::map<std::string, day_count> days;
    soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT mode, created_at FROM registrations WHERE event_id = :e ORDER BY id",
                                    soci::use(event_id));
    for (const auto& r : rows) {
        std::string day = format_local_date(from_ms(as_int(r, 1)), timezone);
        auto& d = days[day];
        d.day = day;
        if (as_text(r, 0) == "online") ++d.online;
        else ++d.in_person;
    }
    std::vector<day_count> out;
    for (auto& [k, v] : days) out.push_back(v);
    return out;
}

std::vector<std::pair<std::string, std::string>> active_answers(connection& c, long long event_id) {
    std::vector<std::pair<std::string, std::string>> out;
    soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT mode, answers FROM registrations WHERE event_id = :e AND status <> 'cancelled'",
                                    soci::use(event_id));
    for (const auto& r : rows) out.emplace_back(as_text(r, 0), as_text(r, 1));
    return out;
}

std::vector<audit_entry> list_audit(connection& c, long long event_id, std::size_t limit) {
    std::string sql =
        "SELECT a.id, a.at, COALESCE(a.user_id, 0), COALESCE(u.email, ''), a.action, COALESCE(a.event_id, 0), a.subject, a.detail "
        "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id";
    if (event_id) sql += " WHERE a.event_id = " + std::to_string(event_id);
    sql += " ORDER BY a.id DESC LIMIT " + std::to_string(limit);
    std::vector<audit_entry> out;
    soci::rowset<soci::row> rows = (c.sql.prepare << sql);
    for (const auto& r : rows)
        out.push_back({as_int(r, 0), from_ms(as_int(r, 1)), as_int(r, 2), as_text(r, 3), as_text(r, 4), as_int(r, 5), as_text(r, 6),
                       as_text(r, 7)});
    return out;
}

std::vector<long long> anonymise_ended_events(connection& c, instant cutoff, instant at) {
    std::vector<long long> ids;
    long long cut = to_ms(cutoff);
    {
        soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT id FROM events WHERE ends_at < :c AND anonymized_at IS NULL ORDER BY id",
                                        soci::use(cut));
        for (const auto& r : rows) ids.push_back(as_int(r, 0));
    }
    long long now_ms = to_ms(at);
    for (long long event_id : ids) {
        // Keep categorical answers (choice, multi, yes/no) for the report; drop free text.
        auto e = load_event(c, event_id);
        std::vector<std::string> text_questions;
        if (e)
            for (const auto& q : e->spec.questions)
                if (q.type == "text") text_questions.push_back(q.id);
        std::vector<std::pair<long long, std::string>> answers;
        {
            soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT id, answers FROM registrations WHERE event_id = :e AND erased_at IS NULL",
                                            soci::use(event_id));
            for (const auto& r : rows) answers.emplace_back(as_int(r, 0), as_text(r, 1));
        }
        for (auto& [id, text] : answers) {
            auto j = nlohmann::json::parse(text, nullptr, false);
            if (j.is_discarded() || !j.is_object()) j = nlohmann::json::object();
            for (const auto& q : text_questions) j.erase(q);
            std::string kept = j.dump();
            std::string placeholder = "erased-" + std::to_string(id);
            c.sql << "UPDATE registrations SET name = '', email = '', email_norm = :p, search_key = '', answers = :a, "
                     "checked_in_device = '', zoom_registrant_id = '', join_url = '', erased_at = :t WHERE id = :i",
                soci::use(placeholder), soci::use(kept), soci::use(now_ms), soci::use(id);
        }
        c.sql << "UPDATE outbox SET recipient = '', payload = '{}', status = CASE WHEN status IN ('pending', 'failed', 'sending') "
                 "THEN 'cancelled' ELSE status END WHERE event_id = :e",
            soci::use(event_id);
        c.sql << "UPDATE checkin_log SET device_id = '', result = '' WHERE event_id = :e", soci::use(event_id);
        c.sql << "UPDATE zoom_attendance SET participant_key = 'erased' WHERE event_id = :e", soci::use(event_id);
        std::string scope = std::to_string(event_id);
        c.sql << "DELETE FROM idempotency_keys WHERE scope = :s", soci::use(scope);
        c.sql << "UPDATE events SET anonymized_at = :t WHERE id = :e", soci::use(now_ms), soci::use(event_id);
    }
    return ids;
}

}  // namespace ensemble::core::store
