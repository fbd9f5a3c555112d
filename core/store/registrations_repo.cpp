// Registrations in SQL; the hot path's statements are prepared once per connection.
#include "core/store/registrations_repo.hpp"
#include "core/store/row.hpp"

#include "core/security/crypto.hpp"

namespace ensemble::core::store {
namespace {

const char* columns =
    "id, event_id, mode, status, name, email, email_norm, language, answers, ticket_code, manage_token, created_at, updated_at, "
    "COALESCE(confirmed_at, 0), COALESCE(cancelled_at, 0), COALESCE(checked_in_at, 0), COALESCE(checked_in_link, 0), "
    "checked_in_device, zoom_registrant_id, join_url, COALESCE(erased_at, 0)";

const char* insert_sql =
    "INSERT INTO registrations (event_id, mode, status, name, email, email_norm, search_key, language, answers, ticket_code, ticket_hash, "
    "manage_token, manage_hash, created_at, updated_at, confirmed_at) VALUES (:e, :m, :s, :n, :em, :en, :sk, :l, :a, :tc, :th, :mt, :mh, :c, :u, "
    ":ca) ON CONFLICT (event_id, email_norm) WHERE status <> 'cancelled' DO NOTHING";

struct hot_statements {
    explicit hot_statements(connection& c)
        : take((c.sql.prepare << "UPDATE seat_pools SET taken = taken + 1 WHERE event_id = :e AND mode = :m AND taken < capacity",
                soci::use(event_id), soci::use(mode_text))),
          release((c.sql.prepare << "UPDATE seat_pools SET taken = taken - 1 WHERE event_id = :e AND mode = :m AND taken > 0",
                   soci::use(event_id), soci::use(mode_text))),
          waitlisted((c.sql.prepare << "UPDATE seat_pools SET waitlisted = waitlisted + :d WHERE event_id = :e AND mode = :m",
                      soci::use(delta), soci::use(event_id), soci::use(mode_text))),
          exists((c.sql.prepare << "SELECT id FROM registrations WHERE event_id = :e AND email_norm = :m AND status <> 'cancelled'",
                  soci::use(event_id), soci::use(email_norm), soci::into(found_id))),
          insert((c.sql.prepare << std::string(insert_sql) + " RETURNING id", soci::use(event_id), soci::use(mode_text), soci::use(status_text),
                  soci::use(name), soci::use(email), soci::use(email_norm), soci::use(search), soci::use(language), soci::use(answers),
                  soci::use(ticket_code), soci::use(ticket_hash), soci::use(manage_token), soci::use(manage_hash), soci::use(created),
                  soci::use(updated), soci::use(confirmed, confirmed_ind), soci::into(found_id))),
          // SQLite: the new id is the connection's last rowid (RETURNING collects rows in a temporary table).
          insert_plain((c.sql.prepare << insert_sql, soci::use(event_id), soci::use(mode_text), soci::use(status_text), soci::use(name),
                        soci::use(email), soci::use(email_norm), soci::use(search), soci::use(language), soci::use(answers),
                        soci::use(ticket_code), soci::use(ticket_hash), soci::use(manage_token), soci::use(manage_hash), soci::use(created),
                        soci::use(updated), soci::use(confirmed, confirmed_ind))),
          position((c.sql.prepare << "SELECT COUNT(*) FROM registrations WHERE event_id = :e AND mode = :m AND status = 'waitlisted' "
                                     "AND id <= :i",
                    soci::use(event_id), soci::use(mode_text), soci::use(reg_id), soci::into(count))),
          find_idem((c.sql.prepare << "SELECT request_hash, status, response FROM idempotency_keys WHERE scope = :s AND idem_key = :k",
                     soci::use(scope), soci::use(key), soci::into(request_hash), soci::into(stored_status), soci::into(body))),
          store_idem((c.sql.prepare << "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, response, created_at) "
                                       "VALUES (:s, :k, :h, :st, :b, :c)",
                      soci::use(scope), soci::use(key), soci::use(request_hash), soci::use(stored_status), soci::use(body),
                      soci::use(created))),
          claim_idem((c.sql.prepare << "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, response, created_at) "
                                       "VALUES (:s, :k, :h, 0, '', :c) ON CONFLICT (scope, idem_key) DO NOTHING",
                      soci::use(scope), soci::use(key), soci::use(request_hash), soci::use(created))),
          complete_idem((c.sql.prepare << "UPDATE idempotency_keys SET status = :st, response = :b WHERE scope = :s AND idem_key = :k",
                         soci::use(stored_status), soci::use(body), soci::use(scope), soci::use(key))) {}

    long long event_id = 0, found_id = 0, created = 0, updated = 0, confirmed = 0, reg_id = 0, count = 0;
    int delta = 0, stored_status = 0;
    soci::indicator confirmed_ind = soci::i_ok;
    std::string mode_text, status_text, name, email, email_norm, search, language, answers, ticket_code, ticket_hash,
        manage_token, manage_hash, scope, key, request_hash, body;
    soci::statement take, release, waitlisted, exists, insert, insert_plain, position, find_idem, store_idem, claim_idem, complete_idem;
};

std::optional<instant> opt_time(long long ms) { return ms == 0 ? std::nullopt : std::optional<instant>(from_ms(ms)); }

registration from_row(const soci::row& r) {
    registration out;
    out.id = as_int(r, 0);
    out.event_id = as_int(r, 1);
    out.mode = parse_mode(as_text(r, 2)).value_or(mode::in_person);
    out.status = parse_status(as_text(r, 3)).value_or(registration_status::cancelled);
    out.name = as_text(r, 4);
    out.email = as_text(r, 5);
    out.email_norm = as_text(r, 6);
    out.language = as_text(r, 7);
    out.answers = nlohmann::json::parse(as_text(r, 8), nullptr, false);
    if (out.answers.is_discarded()) out.answers = nlohmann::json::object();
    out.ticket_code = as_text(r, 9);
    out.manage_token = as_text(r, 10);
    out.created_at = from_ms(as_int(r, 11));
    out.updated_at = from_ms(as_int(r, 12));
    out.confirmed_at = opt_time(as_int(r, 13));
    out.cancelled_at = opt_time(as_int(r, 14));
    out.checked_in_at = opt_time(as_int(r, 15));
    out.checked_in_link = as_int(r, 16);
    out.checked_in_device = as_text(r, 17);
    out.zoom_registrant_id = as_text(r, 18);
    out.join_url = as_text(r, 19);
    out.erased_at = opt_time(as_int(r, 20));
    return out;
}

}  // namespace

bool take_seat(connection& c, long long event_id, mode m) {
    auto& s = c.statements<hot_statements>();
    s.event_id = event_id;
    s.mode_text = mode_name(m);
    s.take.execute(true);
    return s.take.get_affected_rows() == 1;
}

void release_seat(connection& c, long long event_id, mode m) {
    auto& s = c.statements<hot_statements>();
    s.event_id = event_id;
    s.mode_text = mode_name(m);
    s.release.execute(true);
}

void change_waitlisted(connection& c, long long event_id, mode m, int delta) {
    auto& s = c.statements<hot_statements>();
    s.event_id = event_id;
    s.mode_text = mode_name(m);
    s.delta = delta;
    s.waitlisted.execute(true);
}

bool active_email_exists(connection& c, long long event_id, const std::string& email_norm) {
    auto& s = c.statements<hot_statements>();
    s.event_id = event_id;
    s.email_norm = email_norm;
    return fetch_single(s.exists);
}

long long insert_registration(connection& c, const registration& r, const std::string& search_key) {
    auto& s = c.statements<hot_statements>();
    s.event_id = r.event_id;
    s.mode_text = mode_name(r.mode);
    s.status_text = status_name(r.status);
    s.name = r.name;
    s.email = r.email;
    s.email_norm = r.email_norm;
    s.search = search_key;
    s.language = r.language;
    s.answers = r.answers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    s.ticket_code = r.ticket_code;
    s.ticket_hash = sha256_hex(r.ticket_code);
    s.manage_token = r.manage_token;
    s.manage_hash = sha256_hex(r.manage_token);
    s.created = to_ms(r.created_at);
    s.updated = to_ms(r.updated_at);
    s.confirmed = r.confirmed_at ? to_ms(*r.confirmed_at) : 0;
    s.confirmed_ind = r.confirmed_at ? soci::i_ok : soci::i_null;
    // No row: an active registration of this email exists (perhaps committed just now).
    if (c.kind() == dialect::sqlite) {
        s.insert_plain.execute(true);
        if (s.insert_plain.get_affected_rows() != 1) return 0;
        long long id = 0;
        c.sql.get_last_insert_id("registrations", id);
        return id;
    }
    s.found_id = 0;
    if (!fetch_single(s.insert)) return 0;
    return s.found_id;
}

std::optional<registration> find_by_manage_token(connection& c, const std::string& token) {
    static_assert(token_key_length == 10, "the query below uses the index on substr(manage_token, 1, 10)");
    soci::row r;
    std::string key(token_key(token)), hash = sha256_hex(token);
    c.sql << std::string("SELECT ") + columns + " FROM registrations WHERE substr(manage_token, 1, 10) = :k AND manage_hash = :h",
        soci::use(key), soci::use(hash), soci::into(r);
    if (!c.sql.got_data()) return std::nullopt;
    return from_row(r);
}

std::optional<registration> find_registration(connection& c, long long id) {
    soci::row r;
    c.sql << std::string("SELECT ") + columns + " FROM registrations WHERE id = :v", soci::use(id), soci::into(r);
    if (!c.sql.got_data()) return std::nullopt;
    return from_row(r);
}

long long waitlist_position(connection& c, long long event_id, mode m, long long registration_id) {
    auto& s = c.statements<hot_statements>();
    s.event_id = event_id;
    s.mode_text = mode_name(m);
    s.reg_id = registration_id;
    fetch_single(s.position);
    return s.count;
}

std::vector<long long> first_waitlisted(connection& c, long long event_id, mode m, long long n) {
    std::vector<long long> out;
    if (n <= 0) return out;
    std::string mode_text = mode_name(m);
    long long id = 0;
    soci::statement st = (c.sql.prepare << "SELECT id FROM registrations WHERE event_id = :e AND mode = :m AND status = 'waitlisted' "
                                           "ORDER BY id LIMIT :n",
                          soci::use(event_id), soci::use(mode_text), soci::use(n), soci::into(id));
    st.execute();
    while (st.fetch()) out.push_back(id);
    return out;
}

void set_status(connection& c, long long id, registration_status s, instant at) {
    std::string status = status_name(s);
    long long t = to_ms(at);
    if (s == registration_status::confirmed)
        c.sql << "UPDATE registrations SET status = :s, updated_at = :t, confirmed_at = :t2 WHERE id = :i", soci::use(status),
            soci::use(t), soci::use(t), soci::use(id);
    else if (s == registration_status::cancelled)
        c.sql << "UPDATE registrations SET status = :s, updated_at = :t, cancelled_at = :t2 WHERE id = :i", soci::use(status),
            soci::use(t), soci::use(t), soci::use(id);
    else
        c.sql << "UPDATE registrations SET status = :s, updated_at = :t WHERE id = :i", soci::use(status), soci::use(t), soci::use(id);
}

void set_mode(connection& c, long long id, mode m, registration_status s, instant at) {
    std::string mode_text = mode_name(m), status = status_name(s);
    long long t = to_ms(at);
    c.sql << "UPDATE registrations SET mode = :m, status = :s, updated_at = :t WHERE id = :i", soci::use(mode_text), soci::use(status),
        soci::use(t), soci::use(id);
}

void set_zoom_registrant(connection& c, long long id, const std::string& registrant_id, const std::string& join_url) {
    c.sql << "UPDATE registrations SET zoom_registrant_id = :r, join_url = :j WHERE id = :i", soci::use(registrant_id),
        soci::use(join_url), soci::use(id);
}

void update_answers(connection& c, long long id, const nlohmann::json& answers, instant at) {
    std::string text = answers.dump();
    long long t = to_ms(at);
    c.sql << "UPDATE registrations SET answers = :a, updated_at = :t WHERE id = :i", soci::use(text), soci::use(t), soci::use(id);
}

void erase_registration(connection& c, long long id, instant at) {
    long long t = to_ms(at);
    std::string placeholder = "erased-" + std::to_string(id);
    c.sql << "UPDATE registrations SET name = '', email = '', email_norm = :p, search_key = '', answers = '{}', "
             "checked_in_device = '', zoom_registrant_id = '', join_url = '', status = 'cancelled', "
             "cancelled_at = COALESCE(cancelled_at, :t), erased_at = :t2, updated_at = :t3 WHERE id = :i",
        soci::use(placeholder), soci::use(t), soci::use(t), soci::use(t), soci::use(id);
    c.sql << "UPDATE outbox SET recipient = '', payload = '{}', status = CASE WHEN status IN ('pending', 'failed') THEN 'cancelled' "
             "ELSE status END WHERE registration_id = :i",
        soci::use(id);
    // The stored answers of nonce scans hold the name.
    c.sql << "UPDATE checkin_log SET device_id = '', result = '' WHERE event_id = (SELECT event_id FROM registrations WHERE id = :i) "
             "AND registration_id = :i2",
        soci::use(id), soci::use(id);
    c.sql << "DELETE FROM zoom_attendance WHERE registration_id = :i", soci::use(id);
}

std::vector<registration> list_registrations(connection& c, const registration_filter& f) {
    std::string sql = std::string("SELECT ") + columns + " FROM registrations WHERE event_id = :e";
    if (!f.status.empty()) sql += " AND status = :s";
    if (!f.mode.empty()) sql += " AND mode = :m";
    if (!f.query.empty()) sql += " AND search_key LIKE :q ESCAPE '\\'";
    sql += " AND erased_at IS NULL";
    std::string order = f.sort == "name" ? "name" : f.sort == "status" ? "status" : f.sort == "email" ? "email_norm" : "id";
    sql += " ORDER BY " + order + (f.descending ? " DESC" : "") + ", id LIMIT " + std::to_string(f.limit);
    std::string like;
    for (char ch : f.query) {
        if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
        like += ch;
    }
    like = "%" + like + "%";
    soci::details::prepare_temp_type prep = (c.sql.prepare << sql, soci::use(f.event_id, "e"));
    if (!f.status.empty()) prep, soci::use(f.status, "s");
    if (!f.mode.empty()) prep, soci::use(f.mode, "m");
    if (!f.query.empty()) prep, soci::use(like, "q");
    soci::rowset<soci::row> rows(prep);
    std::vector<registration> out;
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

std::optional<stored_response> find_idempotent(connection& c, const std::string& scope, const std::string& key) {
    auto& s = c.statements<hot_statements>();
    s.scope = scope;
    s.key = key;
    if (!fetch_single(s.find_idem)) return std::nullopt;
    return stored_response{s.request_hash, s.stored_status, s.body};
}

void store_idempotent(connection& c, const std::string& scope, const std::string& key, const stored_response& r, instant at) {
    auto& s = c.statements<hot_statements>();
    s.scope = scope;
    s.key = key;
    s.request_hash = r.request_hash;
    s.stored_status = r.status;
    s.body = r.body;
    s.created = to_ms(at);
    s.store_idem.execute(true);
}

bool claim_idempotency_key(connection& c, const std::string& scope, const std::string& key, const std::string& request_hash,
                           instant at) {
    auto& s = c.statements<hot_statements>();
    s.scope = scope;
    s.key = key;
    s.request_hash = request_hash;
    s.created = to_ms(at);
    s.claim_idem.execute(true);
    return s.claim_idem.get_affected_rows() == 1;
}

void complete_idempotent(connection& c, const std::string& scope, const std::string& key, int status, const std::string& body) {
    auto& s = c.statements<hot_statements>();
    s.scope = scope;
    s.key = key;
    s.stored_status = status;
    s.body = body;
    s.complete_idem.execute(true);
}

long long purge_idempotency(connection& c, instant older_than) {
    long long t = to_ms(older_than);
    soci::statement st = (c.sql.prepare << "DELETE FROM idempotency_keys WHERE created_at < :t", soci::use(t));
    st.execute(true);
    return st.get_affected_rows();
}

mode_counts count_registrations(connection& c, long long event_id, mode m) {
    mode_counts out;
    std::string mode_text = mode_name(m);
    c.sql << "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), "
             "COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0), "
             "COALESCE(SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), 0), "
             "COALESCE(SUM(CASE WHEN status = 'confirmed' AND checked_in_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
             "FROM registrations WHERE event_id = :e AND mode = :m",
        soci::use(event_id), soci::use(mode_text), soci::into(out.confirmed), soci::into(out.waitlisted), soci::into(out.cancelled),
        soci::into(out.checked_in);
    return out;
}

}  // namespace ensemble::core::store
