// Zoom attendance and lookups, reminder runs, in SQL.
#include "core/store/delivery_repo.hpp"
#include "core/store/row.hpp"

namespace ensemble::core::store {

std::optional<long long> event_by_zoom_id(connection& c, const std::string& zoom_id) {
    if (zoom_id.empty()) return std::nullopt;
    long long id = 0;
    c.sql << "SELECT id FROM events WHERE zoom_id = :z ORDER BY id DESC LIMIT 1", soci::use(zoom_id), soci::into(id);
    if (!c.sql.got_data()) return std::nullopt;
    return id;
}

std::optional<long long> registration_by_zoom_participant(connection& c, long long event_id, const std::string& registrant_id,
                                                          const std::string& email_norm) {
    long long id = 0;
    if (!registrant_id.empty()) {
        c.sql << "SELECT id FROM registrations WHERE event_id = :e AND zoom_registrant_id = :r ORDER BY id DESC LIMIT 1", soci::use(event_id),
            soci::use(registrant_id), soci::into(id);
        if (c.sql.got_data()) return id;
    }
    if (!email_norm.empty()) {
        c.sql << "SELECT id FROM registrations WHERE event_id = :e AND email_norm = :m AND mode = 'online' "
                 "ORDER BY CASE WHEN status = 'confirmed' THEN 0 ELSE 1 END, id DESC LIMIT 1",
            soci::use(event_id), soci::use(email_norm), soci::into(id);
        if (c.sql.got_data()) return id;
    }
    return std::nullopt;
}

bool record_attendance(connection& c, const attendance_mark& m) {
    long long seen = 0;
    c.sql << "SELECT COUNT(*) FROM zoom_attendance WHERE delivery_key = :k", soci::use(m.delivery_key), soci::into(seen);
    if (seen > 0) return false;
    long long at = to_ms(m.at);
    long long reg = m.registration_id.value_or(0);
    soci::indicator reg_ind = m.registration_id ? soci::i_ok : soci::i_null;
    if (!m.joined) {
        long long open_id = 0;
        c.sql << "SELECT id FROM zoom_attendance WHERE event_id = :e AND participant_key = :p AND left_at IS NULL "
                 "AND joined_at <= :t ORDER BY joined_at DESC LIMIT 1",
            soci::use(m.event_id), soci::use(m.participant_key), soci::use(at), soci::into(open_id);
        if (c.sql.got_data()) {
            // The leave closes the open row; its own key is kept as a row of its own so a redelivery is recognised.
            c.sql << "UPDATE zoom_attendance SET left_at = :t WHERE id = :i", soci::use(at), soci::use(open_id);
            c.sql << "INSERT INTO zoom_attendance (event_id, registration_id, participant_key, joined_at, left_at, delivery_key) "
                     "VALUES (:e, :r, :p, NULL, NULL, :k)",
                soci::use(m.event_id), soci::use(reg, reg_ind), soci::use(m.participant_key), soci::use(m.delivery_key);
            return true;
        }
        c.sql << "INSERT INTO zoom_attendance (event_id, registration_id, participant_key, joined_at, left_at, delivery_key) "
                 "VALUES (:e, :r, :p, NULL, :t, :k)",
            soci::use(m.event_id), soci::use(reg, reg_ind), soci::use(m.participant_key), soci::use(at), soci::use(m.delivery_key);
        return true;
    }
    c.sql << "INSERT INTO zoom_attendance (event_id, registration_id, participant_key, joined_at, left_at, delivery_key) "
             "VALUES (:e, :r, :p, :t, NULL, :k)",
        soci::use(m.event_id), soci::use(reg, reg_ind), soci::use(m.participant_key), soci::use(at), soci::use(m.delivery_key);
    return true;
}

long long count_online_attendees(connection& c, long long event_id) {
    long long n = 0;
    c.sql << "SELECT COUNT(DISTINCT registration_id) FROM zoom_attendance WHERE event_id = :e AND registration_id IS NOT NULL "
             "AND joined_at IS NOT NULL",
        soci::use(event_id), soci::into(n);
    return n;
}

std::vector<std::pair<long long, instant>> published_events_starting(connection& c, instant after, instant until) {
    std::vector<std::pair<long long, instant>> out;
    long long from = to_ms(after), to = to_ms(until);
    soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT id, starts_at FROM events WHERE status = 'published' AND starts_at > :a "
                                                     "AND starts_at <= :b ORDER BY starts_at, id LIMIT 2000",
                                    soci::use(from), soci::use(to));
    for (const auto& r : rows) out.emplace_back(as_int(r, 0), from_ms(as_int(r, 1)));
    return out;
}

bool reminder_ran(connection& c, long long event_id, int minutes_before, instant starts_at) {
    long long n = 0, start = to_ms(starts_at);
    c.sql << "SELECT COUNT(*) FROM reminder_runs WHERE event_id = :e AND minutes_before = :m AND starts_at = :s", soci::use(event_id),
        soci::use(minutes_before), soci::use(start), soci::into(n);
    return n > 0;
}

void record_reminder_run(connection& c, long long event_id, int minutes_before, instant starts_at, instant at, long long messages) {
    long long start = to_ms(starts_at), ran = to_ms(at);
    c.sql << "INSERT INTO reminder_runs (event_id, minutes_before, starts_at, ran_at, messages) VALUES (:e, :m, :s, :r, :n)",
        soci::use(event_id), soci::use(minutes_before), soci::use(start), soci::use(ran), soci::use(messages);
}

}  // namespace ensemble::core::store
