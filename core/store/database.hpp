// Database URLs, connections with their prepared-statement caches, and the SQL dialect in use.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>

namespace ensemble::core::store {

enum class dialect { sqlite, postgresql };

struct database_url {
    dialect kind = dialect::sqlite;
    std::string sqlite_path;  // for sqlite
    std::string connect;      // for postgresql: the URL as given to libpq
};

// Reads `sqlite:PATH` or `postgresql://USER:PASSWORD@HOST:PORT/DB`. Throws std::invalid_argument
// with a message naming the problem.
database_url parse_database_url(std::string_view url);
// libpq keyword/value connection text for a postgresql:// URL (user, password, host, port, dbname, options).
std::string postgres_conninfo(std::string_view url);

struct sqlite_tuning {
    bool synchronous_full = true;
    int busy_timeout_ms = 5000;
    bool auto_checkpoint = true;  // storage turns it off and checkpoints in the background
};

// One database connection and the prepared statements made on it. Statement sets are created once
// per connection (see statements<T>()) and reused; a connection is used by one thread at a time.
class connection {
public:
    connection(const database_url& url, const sqlite_tuning& tuning);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    soci::session sql;
    dialect kind() const noexcept { return kind_; }

    // The statement set T of this connection, constructed as T(*this) on first use.
    template <class T>
    T& statements() {
        auto it = cache_.find(std::type_index(typeid(T)));
        if (it == cache_.end()) {
            auto holder = std::make_unique<holder_of<T>>(*this);
            T& ref = holder->value;
            cache_.emplace(std::type_index(typeid(T)), std::move(holder));
            return ref;
        }
        return static_cast<holder_of<T>*>(it->second.get())->value;
    }
    // Drops every cached statement (after a failed transaction on PostgreSQL, for instance).
    void clear_statements() noexcept { cache_.clear(); }

    void begin_write();
    void begin_read();
    void commit();
    void rollback() noexcept;

    // SQLite: rows inserted, updated or deleted through this connection so far (statements that
    // failed and were undone count none). PostgreSQL: -1 (unknown).
    long long rows_changed() noexcept;

    // What a transaction may remember of what it read (see find_door_link): it changes with every
    // new transaction, and forget_memos() changes it when a write in this one makes it stale.
    std::uint64_t memo_epoch() const noexcept { return memo_epoch_; }
    void forget_memos() noexcept { ++memo_epoch_; }

private:
    struct holder_base {
        virtual ~holder_base() = default;
    };
    template <class T>
    struct holder_of : holder_base {
        explicit holder_of(connection& c) : value(c) {}
        T value;
    };

    dialect kind_;
    std::uint64_t memo_epoch_ = 0;
    std::unordered_map<std::type_index, std::unique_ptr<holder_base>> cache_;
};

// Executes a prepared single-row statement and drains it so that no SQLite read stays open.
// Returns whether a row was found.
bool fetch_single(soci::statement& st);

// True when the exception is a deadlock or serialisation failure worth retrying the transaction for.
bool is_retryable(const std::exception& e) noexcept;
// True when the exception says the disk or database is full or read-only.
bool is_storage_full(const std::exception& e) noexcept;

}  // namespace ensemble::core::store
