// Events in SQL: the organizer's description is kept as JSON, times and status as columns.
#include "core/store/events_repo.hpp"
#include "core/store/row.hpp"

#include "core/domain/event_json.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <stdexcept>

namespace ensemble::core::store {
namespace {

struct head_statements {
    explicit head_statements(connection& c)
        : by_id((c.sql.prepare << "SELECT id, version, status, owner_id FROM events WHERE id = :i", soci::use(key_id),
                soci::into(id), soci::into(version), soci::into(status), soci::into(owner))),
          by_slug((c.sql.prepare << "SELECT id, version, status, owner_id FROM events WHERE slug = :s", soci::use(key_slug),
                  soci::into(id), soci::into(version), soci::into(status), soci::into(owner))),
          pools((c.sql.prepare << "SELECT capacity, taken, waitlisted FROM seat_pools WHERE event_id = :e AND mode = :m",
                soci::use(key_id), soci::use(key_mode), soci::into(capacity), soci::into(taken), soci::into(waitlisted))) {}
    long long key_id = 0;
    std::string key_slug, key_mode;
    long long id = 0, version = 0, owner = 0;
    std::string status;
    long long capacity = 0, taken = 0, waitlisted = 0;
    soci::statement by_id, by_slug, pools;
};

std::string to_text(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

std::optional<event_head> find_event_head(connection& c, long long id) {
    auto& s = c.statements<head_statements>();
    s.key_id = id;
    if (!fetch_single(s.by_id)) return std::nullopt;
    return event_head{s.id, s.version, s.status, s.owner};
}

std::optional<event_head> find_event_head(connection& c, std::string_view id_or_slug) {
    long long id = 0;
    auto [ptr, ec] = std::from_chars(id_or_slug.data(), id_or_slug.data() + id_or_slug.size(), id);
    if (ec == std::errc() && ptr == id_or_slug.data() + id_or_slug.size()) return find_event_head(c, id);
    if (id_or_slug.empty() || id_or_slug.size() > 80) return std::nullopt;
    auto& s = c.statements<head_statements>();
    s.key_slug = std::string(id_or_slug);
    if (!fetch_single(s.by_slug)) return std::nullopt;
    return event_head{s.id, s.version, s.status, s.owner};
}

std::optional<event_record> load_event(connection& c, long long id) {
    soci::row r;
    c.sql << "SELECT id, status, owner_id, spec, zoom_id, created_at, updated_at, version FROM events WHERE id = :i",
        soci::use(id), soci::into(r);
    if (!c.sql.got_data()) return std::nullopt;
    event_record e;
    e.id = as_int(r, 0);
    e.status = as_text(r, 1);
    e.owner_id = as_int(r, 2);
    auto spec = event_spec_from_json(nlohmann::json::parse(as_text(r, 3)));
    if (!spec) throw std::runtime_error("stored event " + std::to_string(id) + " does not read back: " + spec.error().message);
    e.spec = std::move(*spec);
    e.zoom_id = as_text(r, 4);
    e.created_at = from_ms(as_int(r, 5));
    e.updated_at = from_ms(as_int(r, 6));
    e.version = as_int(r, 7);
    e.in_person.capacity = e.spec.capacity_in_person;
    e.online.capacity = e.spec.capacity_online;
    return e;
}

seat_counts load_pool(connection& c, long long event_id, mode m) {
    auto& s = c.statements<head_statements>();
    s.key_id = event_id;
    s.key_mode = mode_name(m);
    seat_counts out;
    if (fetch_single(s.pools)) out = seat_counts{s.capacity, s.taken, s.waitlisted};
    return out;
}

void load_seats(connection& c, event_record& e) {
    e.in_person = load_pool(c, e.id, mode::in_person);
    e.online = load_pool(c, e.id, mode::online);
}

long long insert_event(connection& c, long long owner_id, const event_spec& spec, instant at) {
    long long id = 0;
    long long starts = to_ms(spec.starts_at), ends = to_ms(spec.ends_at), now_ms = to_ms(at);
    std::string body = to_text(event_spec_to_json(spec));
    std::string status = "draft";
    c.sql << "INSERT INTO events (slug, owner_id, status, format, timezone, starts_at, ends_at, spec, created_at, updated_at) "
             "VALUES (:slug, :owner, :status, :format, :tz, :s, :e, :spec, :c, :u) RETURNING id",
        soci::use(spec.slug), soci::use(owner_id), soci::use(status), soci::use(spec.format), soci::use(spec.timezone),
        soci::use(starts), soci::use(ends), soci::use(body), soci::use(now_ms), soci::use(now_ms), soci::into(id);
    for (mode m : {mode::in_person, mode::online}) {
        std::string name = mode_name(m);
        long long cap = spec.capacity(m);
        c.sql << "INSERT INTO seat_pools (event_id, mode, capacity, taken, waitlisted) VALUES (:e, :m, :c, 0, 0)",
            soci::use(id), soci::use(name), soci::use(cap);
    }
    c.sql << "INSERT INTO event_organizers (event_id, user_id) VALUES (:e, :u)", soci::use(id), soci::use(owner_id);
    return id;
}

void update_event(connection& c, long long id, const event_spec& spec, instant at) {
    long long starts = to_ms(spec.starts_at), ends = to_ms(spec.ends_at), now_ms = to_ms(at);
    std::string body = to_text(event_spec_to_json(spec));
    c.sql << "UPDATE events SET slug = :slug, format = :format, timezone = :tz, starts_at = :s, ends_at = :e, spec = :spec, "
             "updated_at = :u, version = version + 1 WHERE id = :id",
        soci::use(spec.slug), soci::use(spec.format), soci::use(spec.timezone), soci::use(starts), soci::use(ends),
        soci::use(body), soci::use(now_ms), soci::use(id);
    for (mode m : {mode::in_person, mode::online}) {
        std::string name = mode_name(m);
        long long cap = spec.capacity(m);
        c.sql << "UPDATE seat_pools SET capacity = :c WHERE event_id = :e AND mode = :m", soci::use(cap), soci::use(id),
            soci::use(name);
    }
}

void set_event_status(connection& c, long long id, const std::string& status, instant at) {
    long long now_ms = to_ms(at);
    c.sql << "UPDATE events SET status = :s, updated_at = :u, version = version + 1 WHERE id = :i", soci::use(status),
        soci::use(now_ms), soci::use(id);
    c.forget_memos();  // a door link remembered in this transaction names the event's status
}

void set_event_zoom_id(connection& c, long long id, const std::string& zoom_id) {
    c.sql << "UPDATE events SET zoom_id = :z, version = version + 1 WHERE id = :i", soci::use(zoom_id), soci::use(id);
}

void bump_event_version(connection& c, long long id, instant at) {
    long long now_ms = to_ms(at);
    c.sql << "UPDATE events SET version = version + 1, updated_at = :u WHERE id = :i", soci::use(now_ms), soci::use(id);
}

bool slug_taken(connection& c, const std::string& slug, long long except_id) {
    long long n = 0;
    c.sql << "SELECT COUNT(*) FROM events WHERE slug = :s AND id <> :i", soci::use(slug), soci::use(except_id), soci::into(n);
    return n > 0;
}

std::vector<long long> list_event_ids(connection& c, const event_query& q) {
    std::vector<long long> ids;
    long long at = to_ms(q.at);
    long long limit = static_cast<long long>(q.limit);
    long long id = 0;
    soci::statement st(c.sql);
    switch (q.scope) {
        case event_scope::published_upcoming:
            st = (c.sql.prepare << "SELECT id FROM events WHERE status = 'published' AND ends_at > :t ORDER BY starts_at, id LIMIT :l",
                  soci::use(at), soci::use(limit), soci::into(id));
            break;
        case event_scope::published_past:
            st = (c.sql.prepare << "SELECT id FROM events WHERE status = 'published' AND ends_at <= :t ORDER BY starts_at DESC, id LIMIT :l",
                  soci::use(at), soci::use(limit), soci::into(id));
            break;
        case event_scope::all_of_user:
            st = (c.sql.prepare << "SELECT e.id FROM events e JOIN event_organizers o ON o.event_id = e.id "
                                   "WHERE o.user_id = :u ORDER BY e.starts_at DESC, e.id LIMIT :l",
                  soci::use(q.user_id), soci::use(limit), soci::into(id));
            break;
        case event_scope::all:
            st = (c.sql.prepare << "SELECT id FROM events ORDER BY starts_at DESC, id LIMIT :l", soci::use(limit), soci::into(id));
            break;
    }
    st.execute();
    while (st.fetch()) ids.push_back(id);
    return ids;
}

bool is_event_organizer(connection& c, long long event_id, long long user_id) {
    long long n = 0;
    c.sql << "SELECT COUNT(*) FROM event_organizers WHERE event_id = :e AND user_id = :u", soci::use(event_id),
        soci::use(user_id), soci::into(n);
    return n > 0;
}

void add_event_organizer(connection& c, long long event_id, long long user_id) {
    c.sql << "INSERT INTO event_organizers (event_id, user_id) VALUES (:e, :u) ON CONFLICT DO NOTHING", soci::use(event_id),
        soci::use(user_id);
}

void remove_event_organizer(connection& c, long long event_id, long long user_id) {
    c.sql << "DELETE FROM event_organizers WHERE event_id = :e AND user_id = :u", soci::use(event_id), soci::use(user_id);
}

std::vector<long long> event_organizer_ids(connection& c, long long event_id) {
    std::vector<long long> out;
    long long id = 0;
    soci::statement st = (c.sql.prepare << "SELECT user_id FROM event_organizers WHERE event_id = :e ORDER BY user_id",
                          soci::use(event_id), soci::into(id));
    st.execute();
    while (st.fetch()) out.push_back(id);
    return out;
}

bool claim_recording_notice(connection& c, long long event_id) {
    soci::statement st = (c.sql.prepare << "UPDATE events SET recording_notified = 1 WHERE id = :i AND recording_notified = 0",
                          soci::use(event_id));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

}  // namespace ensemble::core::store
