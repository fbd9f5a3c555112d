// Outbox rows in SQL; the claim differs by dialect (SKIP LOCKED on PostgreSQL).
#include "core/store/outbox_repo.hpp"
#include "core/store/row.hpp"

namespace ensemble::core::store {
namespace {

struct enqueue_statements {
    explicit enqueue_statements(connection& c)
        : insert((c.sql.prepare << "INSERT INTO outbox (kind, channel, event_id, registration_id, recipient, payload, status, "
                                   "attempts, last_error, next_attempt_at, created_at, dedupe_key) "
                                   "VALUES (:k, :ch, :e, :r, :rc, :p, 'pending', 0, '', :n, :c, :d) ON CONFLICT DO NOTHING",
                  soci::use(kind), soci::use(channel), soci::use(event_id, event_ind), soci::use(registration_id, reg_ind),
                  soci::use(recipient), soci::use(payload), soci::use(next), soci::use(created), soci::use(dedupe, dedupe_ind))) {}
    std::string kind, channel, recipient, payload, dedupe;
    long long event_id = 0, registration_id = 0, next = 0, created = 0;
    soci::indicator event_ind = soci::i_ok, reg_ind = soci::i_ok, dedupe_ind = soci::i_ok;
    soci::statement insert;
};

const char* columns =
    "id, kind, channel, COALESCE(event_id, 0), COALESCE(registration_id, 0), recipient, payload, status, attempts, last_error, "
    "next_attempt_at, created_at, COALESCE(sent_at, 0), COALESCE(dedupe_key, '')";

outbox_message from_row(const soci::row& r) {
    outbox_message m;
    m.id = as_int(r, 0);
    m.kind = as_text(r, 1);
    m.channel = as_text(r, 2);
    m.event_id = as_int(r, 3);
    m.registration_id = as_int(r, 4);
    m.recipient = as_text(r, 5);
    m.payload = nlohmann::json::parse(as_text(r, 6), nullptr, false);
    if (m.payload.is_discarded()) m.payload = nlohmann::json::object();
    m.status = as_text(r, 7);
    m.attempts = static_cast<int>(as_int(r, 8));
    m.last_error = as_text(r, 9);
    m.next_attempt_at = from_ms(as_int(r, 10));
    m.created_at = from_ms(as_int(r, 11));
    long long sent = as_int(r, 12);
    if (sent != 0) m.sent_at = from_ms(sent);
    m.dedupe_key = as_text(r, 13);
    return m;
}

}  // namespace

long long enqueue(connection& c, const outbox_message& m) {
    auto& s = c.statements<enqueue_statements>();
    s.kind = m.kind;
    s.channel = m.channel.empty() ? channel_of(m.kind) : m.channel;
    s.event_id = m.event_id;
    s.event_ind = m.event_id ? soci::i_ok : soci::i_null;
    s.registration_id = m.registration_id;
    s.reg_ind = m.registration_id ? soci::i_ok : soci::i_null;
    s.recipient = m.recipient;
    s.payload = m.payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    s.next = to_ms(m.next_attempt_at);
    s.created = to_ms(m.created_at);
    s.dedupe = m.dedupe_key;
    s.dedupe_ind = m.dedupe_key.empty() ? soci::i_null : soci::i_ok;
    s.insert.execute(true);
    return s.insert.get_affected_rows();
}

std::vector<outbox_message> claim_due(connection& c, instant at, instant lease_until, int limit, const std::string& channel) {
    long long now_ms = to_ms(at), lease = to_ms(lease_until), lim = limit;
    // The channel is one of our own constants, never user input; checked all the same.
    std::string only = channel.empty() || channel.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos
                           ? std::string()
                           : " AND channel = '" + channel + "'";
    // Leases that ran out (the instance that claimed them stopped) make their rows due again first, so
    // that the claim below is one ordered walk of the (status, next_attempt_at) index: a claim stays
    // cheap however many messages a rush of registrations has queued.
    {
        // On PostgreSQL rows another transaction is settling right now are skipped, not waited for.
        std::string expire = c.kind() == dialect::postgresql
                                 ? "UPDATE outbox SET status = 'pending', claimed_until = NULL WHERE id IN (SELECT id FROM outbox "
                                   "WHERE status = 'sending' AND claimed_until < :now" + only + " FOR UPDATE SKIP LOCKED)"
                                 : "UPDATE outbox SET status = 'pending', claimed_until = NULL WHERE status = 'sending' AND claimed_until < :now" + only;
        soci::statement st = (c.sql.prepare << expire, soci::use(now_ms, "now"));
        st.execute(true);
    }
    std::string sql;
    if (c.kind() == dialect::postgresql) {
        sql = std::string("WITH due AS (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= :now1") + only +
              " ORDER BY next_attempt_at, id LIMIT :lim FOR UPDATE SKIP LOCKED) "
              "UPDATE outbox SET status = 'sending', claimed_until = :lease FROM due WHERE outbox.id = due.id RETURNING "
              "outbox.id, kind, channel, COALESCE(event_id, 0), COALESCE(registration_id, 0), recipient, payload, status, attempts, "
              "last_error, next_attempt_at, created_at, COALESCE(sent_at, 0), COALESCE(dedupe_key, '')";
    } else {
        sql = std::string("UPDATE outbox SET status = 'sending', claimed_until = :lease WHERE id IN (SELECT id FROM outbox "
                          "WHERE status = 'pending' AND next_attempt_at <= :now1") + only +
              " ORDER BY next_attempt_at, id LIMIT :lim) RETURNING " + columns;
    }
    std::vector<outbox_message> out;
    soci::rowset<soci::row> rows = c.kind() == dialect::postgresql
                                       ? (c.sql.prepare << sql, soci::use(now_ms, "now1"), soci::use(lim, "lim"), soci::use(lease, "lease"))
                                       : (c.sql.prepare << sql, soci::use(lease, "lease"), soci::use(now_ms, "now1"), soci::use(lim, "lim"));
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

void mark_sent(connection& c, long long id, instant at) {
    long long t = to_ms(at);
    c.sql << "UPDATE outbox SET status = 'sent', sent_at = :t, attempts = attempts + 1, last_error = '', claimed_until = NULL "
             "WHERE id = :i",
        soci::use(t), soci::use(id);
}

void mark_retry(connection& c, long long id, const std::string& error, instant next, bool give_up) {
    long long t = to_ms(next);
    std::string status = give_up ? "failed" : "pending";
    std::string err = error.substr(0, 1000);
    c.sql << "UPDATE outbox SET status = :s, attempts = attempts + 1, last_error = :e, next_attempt_at = :n, claimed_until = NULL "
             "WHERE id = :i",
        soci::use(status), soci::use(err), soci::use(t), soci::use(id);
}

void defer(connection& c, long long id, instant next) {
    long long t = to_ms(next);
    c.sql << "UPDATE outbox SET status = 'pending', next_attempt_at = :n, claimed_until = NULL WHERE id = :i", soci::use(t),
        soci::use(id);
}

void mark_cancelled(connection& c, long long id, const std::string& why) {
    c.sql << "UPDATE outbox SET status = 'cancelled', last_error = :e, claimed_until = NULL WHERE id = :i", soci::use(why),
        soci::use(id);
}

std::vector<outbox_message> list_outbox(connection& c, const outbox_filter& f) {
    std::vector<outbox_message> out;
    if (!f.all_events && f.event_ids.empty()) return out;
    std::string sql = std::string("SELECT ") + columns + " FROM outbox WHERE 1 = 1";
    if (!f.status.empty()) sql += " AND status = :s";
    if (!f.all_events) {
        sql += " AND event_id IN (";
        for (std::size_t i = 0; i < f.event_ids.size(); ++i) {
            if (i) sql += ',';
            sql += std::to_string(f.event_ids[i]);
        }
        sql += ")";
    }
    sql += " ORDER BY id DESC LIMIT " + std::to_string(f.limit);
    soci::rowset<soci::row> rows = f.status.empty() ? (c.sql.prepare << sql) : (c.sql.prepare << sql, soci::use(f.status));
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

std::optional<outbox_message> find_message(connection& c, long long id) {
    soci::row r;
    c.sql << std::string("SELECT ") + columns + " FROM outbox WHERE id = :i", soci::use(id), soci::into(r);
    if (!c.sql.got_data()) return std::nullopt;
    return from_row(r);
}

bool retry_now(connection& c, long long id, instant at) {
    long long t = to_ms(at);
    soci::statement st = (c.sql.prepare << "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = :t, "
                                           "claimed_until = NULL WHERE id = :i AND status IN ('failed', 'pending')",
                          soci::use(t), soci::use(id));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

long long cancel_pending_for_registration(connection& c, long long registration_id, const std::string& kind_prefix) {
    std::string like = kind_prefix + "%";
    soci::statement st = (c.sql.prepare << "UPDATE outbox SET status = 'cancelled', last_error = 'no longer needed' "
                                           "WHERE registration_id = :r AND status = 'pending' AND kind LIKE :k",
                          soci::use(registration_id), soci::use(like));
    st.execute(true);
    return st.get_affected_rows();
}

long long cancel_pending_for_event(connection& c, long long event_id, const std::string& kind_prefix) {
    std::string like = kind_prefix + "%";
    soci::statement st = (c.sql.prepare << "UPDATE outbox SET status = 'cancelled', last_error = 'no longer needed' "
                                           "WHERE event_id = :e AND status = 'pending' AND kind LIKE :k",
                          soci::use(event_id), soci::use(like));
    st.execute(true);
    return st.get_affected_rows();
}

std::string latest_status(connection& c, long long registration_id, const std::string& kind) {
    std::string status;
    soci::indicator ind = soci::i_null;
    c.sql << "SELECT status FROM outbox WHERE registration_id = :r AND kind = :k ORDER BY id DESC LIMIT 1",
        soci::use(registration_id), soci::use(kind), soci::into(status, ind);
    return c.sql.got_data() && ind == soci::i_ok ? status : std::string();
}

long long release_claims(connection& c) {
    soci::statement st = (c.sql.prepare << "UPDATE outbox SET status = 'pending', claimed_until = NULL WHERE status = 'sending'");
    st.execute(true);
    return st.get_affected_rows();
}

long long make_due_now(connection& c, long long event_id, const std::string& kind, instant at) {
    long long t = to_ms(at);
    soci::statement st = (c.sql.prepare << "UPDATE outbox SET next_attempt_at = :t WHERE event_id = :e AND kind = :k "
                                           "AND status = 'pending' AND next_attempt_at > :t2",
                          soci::use(t), soci::use(event_id), soci::use(kind), soci::use(t));
    st.execute(true);
    return st.get_affected_rows();
}

std::string latest_status_of(connection& c, long long registration_id, const std::vector<std::string>& kinds) {
    std::string newest;
    long long newest_id = 0;
    for (const auto& kind : kinds) {
        std::string status;
        long long id = 0;
        soci::indicator ind = soci::i_null;
        c.sql << "SELECT id, status FROM outbox WHERE registration_id = :r AND kind = :k ORDER BY id DESC LIMIT 1",
            soci::use(registration_id), soci::use(kind), soci::into(id), soci::into(status, ind);
        if (c.sql.got_data() && ind == soci::i_ok && id > newest_id) {
            newest_id = id;
            newest = status;
        }
    }
    return newest;
}

}  // namespace ensemble::core::store
