// Check-in SQL; the scan path's statements are prepared once per connection.
#include "core/store/checkin_repo.hpp"

#include "core/store/row.hpp"

#include "core/security/crypto.hpp"

namespace ensemble::core::store {
namespace {

struct scan_statements {
    explicit scan_statements(connection& c)
        : link((c.sql.prepare << "SELECT l.id, l.event_id, l.label, l.created_at, l.expires_at, COALESCE(l.revoked_at, 0), "
                                 "COALESCE(l.created_by, 0), e.status FROM checkin_links l JOIN events e ON e.id = l.event_id "
                                 "WHERE l.token_hash = :h",
                soci::use(hash), soci::into(link_id), soci::into(event_id), soci::into(label), soci::into(created), soci::into(expires),
                soci::into(revoked), soci::into(created_by), soci::into(status))),
          // By the ticket's key (its index grows at one end), proven by the hash of the whole code.
          ticket((c.sql.prepare << "SELECT id, event_id, mode, status, name, COALESCE(checked_in_at, 0), checked_in_device, "
                                   "COALESCE(checked_in_link, 0) FROM registrations WHERE substr(ticket_code, 1, 10) = :k "
                                   "AND ticket_hash = :h AND erased_at IS NULL",
                  soci::use(key), soci::use(hash), soci::into(reg_id), soci::into(event_id), soci::into(mode), soci::into(status),
                  soci::into(name), soci::into(checked_at), soci::into(device), soci::into(checked_link))),
          // A roster's hash (an offline name check-in) has no key: the event's registrations are read.
          ticket_by_hash((c.sql.prepare << "SELECT id, event_id, mode, status, name, COALESCE(checked_in_at, 0), checked_in_device, "
                                           "COALESCE(checked_in_link, 0) FROM registrations WHERE event_id = :e AND ticket_hash = :h "
                                           "AND erased_at IS NULL",
                          soci::use(event_id), soci::use(hash), soci::into(reg_id), soci::into(event_id), soci::into(mode),
                          soci::into(status), soci::into(name), soci::into(checked_at), soci::into(device), soci::into(checked_link))),
          mark((c.sql.prepare << "UPDATE registrations SET checked_in_at = :t, checked_in_link = :l, checked_in_device = :d "
                                 "WHERE id = :i AND checked_in_at IS NULL",
                soci::use(at), soci::use(link_id), soci::use(device), soci::use(reg_id))),
          log((c.sql.prepare << "INSERT INTO checkin_log (event_id, registration_id, action, link_id, device_id, nonce, result, scanned_at, "
                                "recorded_at) VALUES (:e, :r, :a, :l, :d, :n, :res, :s, :t)",
               soci::use(event_id), soci::use(reg_id), soci::use(action), soci::use(link_id, link_ind), soci::use(device),
               soci::use(nonce, nonce_ind), soci::use(result), soci::use(scanned), soci::use(at))),
          nonce_lookup((c.sql.prepare << "SELECT result FROM checkin_log WHERE event_id = :e AND nonce = :n", soci::use(event_id),
                        soci::use(nonce), soci::into(result))) {}

    std::string key, hash, label, mode, status, name, device, action, nonce, result;
    long long link_id = 0, event_id = 0, created = 0, expires = 0, revoked = 0, created_by = 0, reg_id = 0, checked_at = 0,
              checked_link = 0, at = 0, scanned = 0;
    soci::indicator link_ind = soci::i_ok, nonce_ind = soci::i_ok;
    soci::statement link, ticket, ticket_by_hash, mark, log, nonce_lookup;
    // find_door_link's answers in the transaction memo_epoch names (unknown tokens too, bounded).
    std::uint64_t memo_epoch = 0;
    std::unordered_map<std::string, std::optional<door_link>> links;
};

checkin_link link_from(const scan_statements& s) {
    checkin_link l;
    l.id = s.link_id;
    l.event_id = s.event_id;
    l.label = s.label;
    l.created_at = from_ms(s.created);
    l.expires_at = from_ms(s.expires);
    if (s.revoked) l.revoked_at = from_ms(s.revoked);
    l.created_by = s.created_by;
    return l;
}

}  // namespace

long long insert_checkin_link(connection& c, const checkin_link& l, const std::string& token_hash) {
    long long id = 0, created = to_ms(l.created_at), expires = to_ms(l.expires_at), by = l.created_by;
    soci::indicator by_ind = by ? soci::i_ok : soci::i_null;
    c.sql << "INSERT INTO checkin_links (event_id, token_hash, label, created_by, created_at, expires_at) "
             "VALUES (:e, :h, :l, :b, :c, :x) RETURNING id",
        soci::use(l.event_id), soci::use(token_hash), soci::use(l.label), soci::use(by, by_ind), soci::use(created), soci::use(expires),
        soci::into(id);
    return id;
}

std::optional<door_link> find_door_link(connection& c, const std::string& token) {
    auto& s = c.statements<scan_statements>();
    if (s.memo_epoch != c.memo_epoch() || s.links.size() >= 64) {
        s.links.clear();
        s.memo_epoch = c.memo_epoch();
    }
    if (auto it = s.links.find(token); it != s.links.end()) return it->second;
    s.hash = sha256_hex(token);
    std::optional<door_link> found;
    if (fetch_single(s.link)) found = door_link{link_from(s), s.status};
    s.links.emplace(token, found);
    return found;
}

std::optional<checkin_link> find_checkin_link_by_id(connection& c, long long id) {
    soci::row r;
    c.sql << "SELECT id, event_id, label, created_at, expires_at, COALESCE(revoked_at, 0), COALESCE(created_by, 0) FROM checkin_links "
             "WHERE id = :i",
        soci::use(id), soci::into(r);
    if (!c.sql.got_data()) return std::nullopt;
    checkin_link l;
    l.id = as_int(r, 0);
    l.event_id = as_int(r, 1);
    l.label = as_text(r, 2);
    l.created_at = from_ms(as_int(r, 3));
    l.expires_at = from_ms(as_int(r, 4));
    if (as_int(r, 5)) l.revoked_at = from_ms(as_int(r, 5));
    l.created_by = as_int(r, 6);
    return l;
}

void revoke_checkin_link(connection& c, long long id, instant at) {
    long long t = to_ms(at);
    c.sql << "UPDATE checkin_links SET revoked_at = :t WHERE id = :i AND revoked_at IS NULL", soci::use(t), soci::use(id);
    c.forget_memos();
}

std::vector<link_usage> list_checkin_links(connection& c, long long event_id) {
    std::vector<link_usage> out;
    soci::rowset<soci::row> rows =
        (c.sql.prepare << "SELECT l.id, l.event_id, l.label, l.created_at, l.expires_at, COALESCE(l.revoked_at, 0), COALESCE(l.created_by, 0), "
                          "COALESCE(SUM(CASE WHEN g.action = 'checkin' THEN 1 ELSE 0 END), 0), "
                          "COALESCE(SUM(CASE WHEN g.action = 'undo' THEN 1 ELSE 0 END), 0), COALESCE(MAX(g.recorded_at), 0) "
                          // By the event first: checkin_log_event holds its rows, so the log of other events is never read.
                          "FROM checkin_links l LEFT JOIN checkin_log g ON g.event_id = l.event_id AND g.link_id = l.id WHERE l.event_id = :e "
                          "GROUP BY l.id, l.event_id, l.label, l.created_at, l.expires_at, l.revoked_at, l.created_by ORDER BY l.id",
         soci::use(event_id));
    for (const auto& r : rows) {
        link_usage u;
        u.link.id = as_int(r, 0);
        u.link.event_id = as_int(r, 1);
        u.link.label = as_text(r, 2);
        u.link.created_at = from_ms(as_int(r, 3));
        u.link.expires_at = from_ms(as_int(r, 4));
        if (as_int(r, 5)) u.link.revoked_at = from_ms(as_int(r, 5));
        u.link.created_by = as_int(r, 6);
        u.checkins = as_int(r, 7);
        u.undos = as_int(r, 8);
        if (as_int(r, 9)) u.last_used_at = from_ms(as_int(r, 9));
        out.push_back(std::move(u));
    }
    for (auto& u : out) {
        soci::rowset<soci::row> devices = (c.sql.prepare << "SELECT DISTINCT device_id FROM checkin_log WHERE event_id = :e AND link_id = :l "
                                                            "AND device_id <> '' ORDER BY device_id LIMIT 50",
                                           soci::use(event_id), soci::use(u.link.id));
        for (const auto& d : devices) u.devices.push_back(as_text(d, 0));
    }
    return out;
}

namespace {

std::optional<registration> ticket_of(const scan_statements& s) {
    registration r;
    r.id = s.reg_id;
    r.event_id = s.event_id;
    r.mode = parse_mode(s.mode).value_or(mode::in_person);
    r.status = parse_status(s.status).value_or(registration_status::cancelled);
    r.name = s.name;
    if (s.checked_at) r.checked_in_at = from_ms(s.checked_at);
    r.checked_in_device = s.device;
    r.checked_in_link = s.checked_link;
    return r;
}

}  // namespace

std::optional<registration> find_ticket(connection& c, const std::string& ticket_code) {
    return find_ticket(c, ticket_code, sha256_hex(ticket_code));
}

std::optional<registration> find_ticket(connection& c, const std::string& ticket_code, const std::string& code_hash) {
    static_assert(token_key_length == 10, "the statements above index substr(ticket_code, 1, 10)");
    auto& s = c.statements<scan_statements>();
    s.key = token_key(ticket_code);
    s.hash = code_hash;
    if (!fetch_single(s.ticket)) return std::nullopt;
    return ticket_of(s);
}

std::optional<registration> find_ticket_by_hash(connection& c, long long event_id, const std::string& ticket_hash) {
    auto& s = c.statements<scan_statements>();
    s.event_id = event_id;
    s.hash = ticket_hash;
    if (!fetch_single(s.ticket_by_hash)) return std::nullopt;
    return ticket_of(s);
}

bool mark_checked_in(connection& c, long long registration_id, instant at, long long link_id, const std::string& device) {
    auto& s = c.statements<scan_statements>();
    s.at = to_ms(at);
    s.link_id = link_id;
    s.device = device;
    s.reg_id = registration_id;
    s.mark.execute(true);
    return s.mark.get_affected_rows() == 1;
}

void clear_checkin(connection& c, long long registration_id) {
    c.sql << "UPDATE registrations SET checked_in_at = NULL, checked_in_link = NULL, checked_in_device = '' WHERE id = :i",
        soci::use(registration_id);
}

void insert_log(connection& c, const log_entry& e) {
    auto& s = c.statements<scan_statements>();
    s.event_id = e.event_id;
    s.reg_id = e.registration_id;
    s.action = e.action;
    s.link_id = e.link_id;
    s.link_ind = e.link_id ? soci::i_ok : soci::i_null;
    s.device = e.device_id;
    s.nonce = e.nonce;
    s.nonce_ind = e.nonce.empty() ? soci::i_null : soci::i_ok;
    s.result = e.result;
    s.scanned = to_ms(e.scanned_at);
    s.at = to_ms(e.recorded_at);
    s.log.execute(true);
}

std::optional<std::string> find_scan_result(connection& c, long long event_id, const std::string& nonce) {
    auto& s = c.statements<scan_statements>();
    s.event_id = event_id;
    s.nonce = nonce;
    if (!fetch_single(s.nonce_lookup)) return std::nullopt;
    return s.result;
}

std::vector<search_hit> search_attendees(connection& c, long long event_id, const std::string& folded_query, std::size_t limit) {
    std::string like;
    for (char ch : folded_query) {
        if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
        like += ch;
    }
    like = "%" + like + "%";
    long long lim = static_cast<long long>(limit);
    std::vector<search_hit> out;
    soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT name, mode, status, ticket_code, COALESCE(checked_in_at, 0) FROM registrations "
                                                     "WHERE event_id = :e AND search_key LIKE :q ESCAPE '\\' AND erased_at IS NULL "
                                                     "ORDER BY CASE status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, name, id "
                                                     "LIMIT :l",
                                    soci::use(event_id), soci::use(like), soci::use(lim));
    for (const auto& r : rows) {
        search_hit h{as_text(r, 0), as_text(r, 1), as_text(r, 2), as_text(r, 3), std::nullopt};
        if (as_int(r, 4)) h.checked_in_at = from_ms(as_int(r, 4));
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<roster_entry> door_roster(connection& c, long long event_id) {
    std::vector<roster_entry> out;
    soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT name, ticket_hash, CASE WHEN checked_in_at IS NULL THEN 0 ELSE 1 END "
                                                     "FROM registrations WHERE event_id = :e AND status = 'confirmed' AND erased_at IS NULL "
                                                     "ORDER BY name, id",
                                    soci::use(event_id));
    for (const auto& r : rows) out.push_back({as_text(r, 0), as_text(r, 1), as_int(r, 2) != 0});
    return out;
}

door_counts count_door(connection& c, long long event_id) {
    door_counts d;
    soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT mode, COUNT(*), COALESCE(SUM(CASE WHEN checked_in_at IS NULL THEN 0 ELSE 1 END), 0) "
                                                     "FROM registrations WHERE event_id = :e AND status = 'confirmed' GROUP BY mode",
                                    soci::use(event_id));
    for (const auto& r : rows) {
        if (as_text(r, 0) == "in_person") {
            d.in_person_expected = as_int(r, 1);
            d.in_person_checked_in = as_int(r, 2);
        } else {
            d.online_expected = as_int(r, 1);
            d.online_checked_in = as_int(r, 2);
        }
    }
    return d;
}

void notify_door_change(connection& c, long long event_id) {
    if (c.kind() != dialect::postgresql) return;
    c.sql << "NOTIFY ensemble_live, '" + std::to_string(event_id) + "'";
}

}  // namespace ensemble::core::store
