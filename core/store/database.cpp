// Connections over SOCI's sqlite3 and postgresql backends.
#include "core/store/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace ensemble::core::store {

namespace {

std::string url_decode(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size()) {
            out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

// libpq keyword=value text with values single-quoted and escaped.
std::string keyword(const char* name, const std::string& value) {
    std::string out = std::string(name) + "='";
    for (char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "' ";
}

// Before SQLite's first use: every connection is used by one thread at a time (the storage executor
// guarantees it), so SQLite's per-connection mutexes are not needed, and its memory statistics (one
// global mutex taken on every allocation) are not read. Both only remove locking.
void configure_sqlite_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        // SOCI's header declares SQLite's API inside namespace sqlite_api.
        if (sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD) != SQLITE_OK) return;  // already initialised by someone else: keep its mode
        sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    });
}

}  // namespace

std::string postgres_conninfo(std::string_view url) {
    std::string_view rest = url.substr(url.find("://") + 3);
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string_view path;
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        path = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
    }
    std::string_view userinfo, hostport = rest;
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        userinfo = rest.substr(0, at);
        hostport = rest.substr(at + 1);
    }
    std::string info;
    if (!userinfo.empty()) {
        auto colon = userinfo.find(':');
        info += keyword("user", url_decode(userinfo.substr(0, colon)));
        if (colon != std::string_view::npos) info += keyword("password", url_decode(userinfo.substr(colon + 1)));
    }
    if (!hostport.empty()) {
        std::string_view host = hostport, port;
        if (hostport.front() == '[') {
            auto close = hostport.find(']');
            host = hostport.substr(1, close - 1);
            if (close + 1 < hostport.size() && hostport[close + 1] == ':') port = hostport.substr(close + 2);
        } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
            host = hostport.substr(0, colon);
            port = hostport.substr(colon + 1);
        }
        if (!host.empty()) info += keyword("host", url_decode(host));
        if (!port.empty()) info += keyword("port", std::string(port));
    }
    if (!path.empty()) info += keyword("dbname", url_decode(path));
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos) {
            std::string name = url_decode(pair.substr(0, eq));
            bool known = name == "sslmode" || name == "connect_timeout" || name == "application_name" || name == "sslrootcert" ||
                         name == "target_session_attrs" || name == "options";
            if (known) info += keyword(name.c_str(), url_decode(pair.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return info;
}

database_url parse_database_url(std::string_view url) {
    database_url out;
    if (url.starts_with("sqlite:")) {
        out.kind = dialect::sqlite;
        std::string_view path = url.substr(7);
        if (path.starts_with("//")) path.remove_prefix(2);
        if (path.empty()) throw std::invalid_argument("database: sqlite URL needs a file path, as in sqlite:data/ensemble.db");
        out.sqlite_path = std::string(path);
        return out;
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        out.kind = dialect::postgresql;
        out.connect = postgres_conninfo(url);
        return out;
    }
    throw std::invalid_argument("database: URL must start with sqlite: or postgresql:// (got '" + std::string(url.substr(0, 40)) + "')");
}

connection::connection(const database_url& url, const sqlite_tuning& tuning) : kind_(url.kind) {
    if (url.kind == dialect::sqlite) {
        std::filesystem::path p(url.sqlite_path);
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
        configure_sqlite_once();
        // SOCI's "timeout" is the busy timeout in seconds.
        int timeout_s = std::max(1, tuning.busy_timeout_ms / 1000);
        sql.open(soci::sqlite3, "db=\"" + url.sqlite_path + "\" timeout=" + std::to_string(timeout_s));
        sql << "PRAGMA journal_mode=WAL";
        sql << (tuning.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        sql << "PRAGMA foreign_keys=ON";
        sql << "PRAGMA busy_timeout=" + std::to_string(tuning.busy_timeout_ms);
        sql << "PRAGMA temp_store=MEMORY";
        sql << "PRAGMA cache_size=-16000";
        // During a long rush the WAL grows (the checkpointer copies it while commits keep adding to
        // it, so it cannot start over); once the checkpointer catches up, it is cut back to 64 MB.
        sql << "PRAGMA journal_size_limit=67108864";
        // Checkpoints run on storage's own checkpointer connection, off the writer's commit path.
        if (!tuning.auto_checkpoint) sql << "PRAGMA wal_autocheckpoint=0";
    } else {
        sql.open(soci::postgresql, url.connect);
        sql << "SET TIME ZONE 'UTC'";
    }
}

connection::~connection() { cache_.clear(); }

void connection::begin_write() {
    ++memo_epoch_;
    sql << (kind_ == dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}
void connection::begin_read() {
    ++memo_epoch_;
    sql << "BEGIN";
}
void connection::commit() { sql << "COMMIT"; }
long long connection::rows_changed() noexcept {
    if (kind_ != dialect::sqlite) return -1;
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    return backend ? static_cast<long long>(sqlite_api::sqlite3_total_changes64(backend->conn_)) : -1;
}
void connection::rollback() noexcept {
    try {
        sql << "ROLLBACK";
    } catch (...) {
    }
}

bool fetch_single(soci::statement& st) {
    bool got = st.execute(true);
    if (got) {
        // Step past the last row so SQLite ends the statement and releases its read snapshot.
        while (st.fetch()) {
        }
    }
    return got;
}

bool is_retryable(const std::exception& e) noexcept {
    if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
        std::string state = pg->sqlstate();
        return state == "40P01" || state == "40001";
    }
    std::string_view what = e.what();
    return what.find("database is locked") != std::string_view::npos;
}

bool is_storage_full(const std::exception& e) noexcept {
    std::string_view what = e.what();
    if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
        std::string state = pg->sqlstate();
        return state == "53100" || state == "25006";
    }
    return what.find("database or disk is full") != std::string_view::npos ||
           what.find("readonly database") != std::string_view::npos ||
           what.find("disk I/O error") != std::string_view::npos;
}

}  // namespace ensemble::core::store
