// The schema, one migration per version; "{ID}" and "{BLOB}" stand for each dialect's types.
#include "core/store/migrations.hpp"

#include "core/domain/time.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace ensemble::core::store {
namespace {

struct migration {
    int version;
    const char* name;
    std::string_view sql;
};

constexpr std::string_view schema_v1 = R"SQL(
CREATE TABLE users (
    id {ID},
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE events (
    id {ID},
    slug TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    format TEXT NOT NULL,
    timezone TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    spec TEXT NOT NULL,
    zoom_id TEXT NOT NULL DEFAULT '',
    recording_notified INTEGER NOT NULL DEFAULT 0,
    anonymized_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX events_slug ON events (slug);
CREATE INDEX events_status_start ON events (status, starts_at);

CREATE TABLE event_organizers (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_organizers_user ON event_organizers (user_id);

CREATE TABLE seat_pools (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    taken BIGINT NOT NULL DEFAULT 0,
    waitlisted BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, mode),
    CHECK (taken >= 0 AND taken <= capacity AND waitlisted >= 0)
);

CREATE TABLE registrations (
    id {ID},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_norm TEXT NOT NULL,
    search_key TEXT NOT NULL,
    language TEXT NOT NULL,
    answers TEXT NOT NULL,
    ticket_code TEXT NOT NULL,
    ticket_hash TEXT NOT NULL,
    manage_token TEXT NOT NULL,
    manage_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    cancelled_at BIGINT,
    checked_in_at BIGINT,
    checked_in_link BIGINT,
    checked_in_device TEXT NOT NULL DEFAULT '',
    zoom_registrant_id TEXT NOT NULL DEFAULT '',
    join_url TEXT NOT NULL DEFAULT '',
    erased_at BIGINT
);
CREATE UNIQUE INDEX registrations_active_email ON registrations (event_id, email_norm) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX registrations_ticket ON registrations (ticket_hash);
CREATE UNIQUE INDEX registrations_manage ON registrations (manage_hash);
CREATE INDEX registrations_queue ON registrations (event_id, mode, status, id);

CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE outbox (
    id {ID},
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    event_id BIGINT,
    registration_id BIGINT,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    dedupe_key TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_event ON outbox (event_id, status);
CREATE INDEX outbox_registration ON outbox (registration_id);
CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key);

CREATE TABLE checkin_links (
    id {ID},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT,
    uses BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX checkin_links_token ON checkin_links (token_hash);
CREATE INDEX checkin_links_event ON checkin_links (event_id);

CREATE TABLE checkin_log (
    id {ID},
    event_id BIGINT NOT NULL,
    registration_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    link_id BIGINT,
    device_id TEXT NOT NULL DEFAULT '',
    nonce TEXT,
    result TEXT NOT NULL DEFAULT '',
    scanned_at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX checkin_log_event ON checkin_log (event_id, id);
CREATE INDEX checkin_log_registration ON checkin_log (registration_id);
CREATE UNIQUE INDEX checkin_log_nonce ON checkin_log (event_id, nonce);

CREATE TABLE zoom_attendance (
    id {ID},
    event_id BIGINT NOT NULL,
    registration_id BIGINT,
    participant_key TEXT NOT NULL,
    joined_at BIGINT,
    left_at BIGINT,
    delivery_key TEXT NOT NULL
);
CREATE UNIQUE INDEX zoom_attendance_delivery ON zoom_attendance (delivery_key);
CREATE INDEX zoom_attendance_event ON zoom_attendance (event_id, registration_id);

CREATE TABLE audit_log (
    id {ID},
    at BIGINT NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    event_id BIGINT,
    subject TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_event ON audit_log (event_id, at);

CREATE TABLE reminder_runs (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    minutes_before INTEGER NOT NULL,
    starts_at BIGINT NOT NULL,
    ran_at BIGINT NOT NULL,
    messages BIGINT NOT NULL,
    PRIMARY KEY (event_id, minutes_before, starts_at)
);
)SQL";

// Each lane of the dispatcher claims its own channel: with the channel in the index a claim is one
// ordered walk of that channel's due rows. Without it, the Zoom lane's claim read every pending email
// (tens of thousands during a registration rush) before finding none of its own.
constexpr std::string_view schema_v2 = R"SQL(
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (status, channel, next_attempt_at);
)SQL";

// The check-in log is read by event (its (event_id, id) index); a person's entries, for an export or
// an erasure, are found within their event. Scans made online carry no nonce and stay out of the
// nonce index. Each check-in thus writes at the end of the log's indexes, not at a random place.
// Ticket codes and manage tokens are found by their first ten characters (see time_ordered_token),
// which grow with time in new tokens, then proven by the hash of the whole token. The unique indexes
// on the hashes took every registration at a random place: two page writes per registration that no
// other registration shared. Tokens made before this keep working: their first ten characters are
// random, and still find them.
constexpr std::string_view schema_v3 = R"SQL(
DROP INDEX registrations_ticket;
DROP INDEX registrations_manage;
CREATE INDEX registrations_ticket_key ON registrations (substr(ticket_code, 1, 10));
CREATE INDEX registrations_manage_key ON registrations (substr(manage_token, 1, 10));
DROP INDEX checkin_log_registration;
DROP INDEX checkin_log_nonce;
CREATE UNIQUE INDEX checkin_log_nonce ON checkin_log (event_id, nonce) WHERE nonce IS NOT NULL;
)SQL";

// Most outbox rows (confirmations, reminders) have no dedupe key: they stay out of its index.
constexpr std::string_view schema_v4 = R"SQL(
DROP INDEX outbox_dedupe;
CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
)SQL";

const migration migrations[] = {
    {1, "initial schema", schema_v1},
    {2, "outbox claims by channel", schema_v2},
    {3, "tokens and the check-in log indexed where rows are added", schema_v3},
    {4, "outbox dedupe keys only where there is one", schema_v4},
};

std::string for_dialect(std::string_view sql, dialect d) {
    std::string out(sql);
    auto replace_all = [&](std::string_view from, std::string_view to) {
        for (std::size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size()))
            out.replace(pos, from.size(), to);
    };
    replace_all("{ID}", d == dialect::sqlite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    replace_all("{BLOB}", d == dialect::sqlite ? "BLOB" : "BYTEA");
    return out;
}

// Splits a script on ';' at line ends (our scripts hold no semicolons inside strings).
std::vector<std::string> statements_of(const std::string& script) {
    std::vector<std::string> out;
    std::string current;
    for (char ch : script) {
        current += ch;
        if (ch == ';') {
            out.push_back(current);
            current.clear();
        }
    }
    auto blank = current.find_first_not_of(" \n\t\r");
    if (blank != std::string::npos) out.push_back(current);
    return out;
}

int current_version(connection& c) {
    int version = 0;
    soci::indicator ind = soci::i_ok;
    c.sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    return ind == soci::i_null ? 0 : version;
}

}  // namespace

int latest_schema_version() noexcept { return migrations[std::size(migrations) - 1].version; }

migration_report migrate(connection& c) {
    migration_report report;
    // The lock comes first: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against itself in
    // another session (both may pass the check, and one fails on the catalog's unique index).
    if (c.kind() == dialect::postgresql) c.sql << "SELECT pg_advisory_lock(741520)";
    try {
        c.sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
        report.from_version = current_version(c);
        report.to_version = report.from_version;
        for (const migration& m : migrations) {
            if (m.version <= report.from_version) continue;
            c.begin_write();
            try {
                for (const auto& statement : statements_of(for_dialect(m.sql, c.kind()))) c.sql << statement;
                long long at = to_ms(now());
                std::string name = m.name;
                c.sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)",
                    soci::use(m.version), soci::use(name), soci::use(at);
                c.commit();
            } catch (const std::exception& e) {
                c.rollback();
                throw std::runtime_error("migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + e.what());
            }
            spdlog::info("database: applied migration {} ({})", m.version, m.name);
            report.applied.push_back(m.version);
            report.to_version = m.version;
        }
    } catch (...) {
        if (c.kind() == dialect::postgresql) c.sql << "SELECT pg_advisory_unlock(741520)";
        throw;
    }
    if (c.kind() == dialect::postgresql) c.sql << "SELECT pg_advisory_unlock(741520)";
    return report;
}

}  // namespace ensemble::core::store
