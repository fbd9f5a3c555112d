// Group commit on the writer(s), snapshot reads on the reader pool, recovery after a failed batch.
#include "core/store/storage.hpp"

#include "core/domain/thread.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ensemble::core::store {

namespace {

// The savepoint statements a group commit runs around every command, prepared once per connection.
struct savepoint_statements {
    explicit savepoint_statements(connection& c)
        : save(c.sql.prepare << "SAVEPOINT job"), undo(c.sql.prepare << "ROLLBACK TO SAVEPOINT job"), release(c.sql.prepare << "RELEASE SAVEPOINT job") {}
    soci::statement save, undo, release;
};

// The checkpointer gives way to the requests, on the disk and on the CPU. A checkpoint copies
// thousands of scattered pages into the database file and syncs them; a commit that synced the WAL
// meanwhile waited behind them in the device's queue (commits of 14-20 ms during a check-in rush,
// against about 1 ms). In Linux's idle I/O class the device's scheduler (mq-deadline, BFQ) sends the
// commits first and the checkpoint's pages when it has room; mq-deadline lets a page through after
// it waited 10 s. A device without a scheduler ignores the class. On the CPU, a checkpoint took one
// of two cores for 20-40 ms four times a second, and the requests of that moment waited; under
// SCHED_IDLE it runs on the time they leave (15-20% of the machine in a rush). A rush slows the
// copy, never stops it, and the WAL does not grow for it: a WAL cannot start over while commits
// keep coming anyway. Where either cannot be set, nothing else changes.
void give_way_to_requests() {
#if defined(__linux__)
    sched_param none{};
    if (int e = pthread_setschedparam(pthread_self(), SCHED_IDLE, &none); e != 0)
        spdlog::debug("storage: the checkpointer keeps its CPU priority ({})", std::strerror(e));
#if defined(SYS_ioprio_set)
    constexpr int who_process = 1;       // IOPRIO_WHO_PROCESS; with id 0, the calling thread
    constexpr int idle_class = 3 << 13;  // IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT
    if (syscall(SYS_ioprio_set, who_process, 0, idle_class) != 0)
        spdlog::debug("storage: the checkpointer keeps its disk priority ({})", std::strerror(errno));
#endif
#endif
}

// PostgreSQL, several instances: a batch first takes a transaction-level advisory lock per key
// (event) of its jobs, in order, so that the instances' batches for one event run one after the
// other. Without it each instance's batch stopped on the event's seat row in the middle, behind the
// other's uncommitted version of it, and every registration then walked a chain of row versions
// left by the other's savepoints: two instances were three times slower than one. The locks order
// work only; the seat is still taken by a conditional update, whatever the locks.
void lock_keys(connection& c, std::vector<std::size_t> keys) {
    if (c.kind() != dialect::postgresql) return;
    std::vector<int> locks;
    for (std::size_t k : keys)
        if (k != storage::any_writer) locks.push_back(static_cast<int>(k & 0x7fffffff));
    std::sort(locks.begin(), locks.end());
    locks.erase(std::unique(locks.begin(), locks.end()), locks.end());
    for (int k : locks) c.sql << "SELECT pg_advisory_xact_lock(741521, :k)", soci::use(k);
}

// Runs one job inside the open transaction; false when it failed (the failure is handed to it).
// What ends the transaction itself (a retryable conflict, a full disk) is thrown to the batch.
bool run_job(job& j, connection& c) {
    try {
        return j.run(c);
    } catch (const soci::soci_error& e) {
        if (is_retryable(e) || is_storage_full(e)) throw;
        spdlog::error("storage: command failed: {}", e.what());
        j.fail(storage_failure(e));
    } catch (const failure_exception& e) {
        j.fail(e.get());
    } catch (const std::exception& e) {
        spdlog::error("storage: command failed: {}", e.what());
        j.fail(storage_failure(e));
    }
    return false;
}

}  // namespace

failure storage_failure(const std::exception& e) {
    if (is_storage_full(e))
        return make_failure(errc::unavailable, "The database cannot take writes right now (full or read-only). Nothing was saved; try again later.");
    return make_failure(errc::internal, "Something went wrong on our side. Nothing was saved; try again.");
}

storage::storage(storage_options options) : options_(std::move(options)), url_(parse_database_url(options_.url)) {
    int writers = url_.kind == dialect::sqlite ? 1 : std::max(1, options_.postgres_writers);
    int readers = std::max(1, options_.read_threads);
    sqlite_tuning writer_tuning = options_.sqlite;
    if (url_.kind == dialect::sqlite) {
        writer_tuning.auto_checkpoint = false;
        checkpoint_connection_ = std::make_unique<connection>(url_, options_.sqlite);
    }
    for (int i = 0; i < writers; ++i) writer_connections_.push_back(std::make_unique<connection>(url_, writer_tuning));
    for (int i = 0; i < readers; ++i) reader_connections_.push_back(std::make_unique<connection>(url_, options_.sqlite));
    if (writers > 1) keyed_writes_.resize(static_cast<std::size_t>(writers));
    for (std::size_t i = 0; i < writer_connections_.size(); ++i)
        threads_.emplace_back([this, i, conn = writer_connections_[i].get()] {
            name_this_thread("ens-db-writer");
            writer_loop(*conn, i);
        });
    for (auto& c : reader_connections_)
        threads_.emplace_back([this, conn = c.get()] {
            name_this_thread("ens-db-reader");
            reader_loop(*conn);
        });
    if (checkpoint_connection_)
        checkpointer_ = std::thread([this] {
            name_this_thread("ens-checkpoint");
            give_way_to_requests();
            checkpoint_loop(*checkpoint_connection_);
        });
}

storage::~storage() { stop(); }

void storage::stop() {
    if (stopping_.exchange(true)) return;
    // Taking each mutex once after setting the flag: a thread between its check and its wait holds
    // the mutex, so it cannot miss the notification.
    for (queue* q : {&writes_, &reads_}) {
        { std::lock_guard lock(q->mutex); }
        q->ready.notify_all();
    }
    {
        std::lock_guard lock(checkpoint_mutex_);
        checkpoint_wake_.notify_all();
    }
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
    if (checkpointer_.joinable()) checkpointer_.join();
    if (checkpoint_connection_) {
        // Everything committed goes into the database file, and the WAL file is emptied.
        try {
            checkpoint_connection_->sql << "PRAGMA wal_checkpoint(TRUNCATE)";
        } catch (const std::exception& e) {
            spdlog::warn("storage: final checkpoint failed: {}", e.what());
        }
        checkpoint_connection_.reset();
    }
    writer_connections_.clear();
    reader_connections_.clear();
}

void storage::post_write(std::unique_ptr<job> j, std::size_t key) {
    j->key = key;
    {
        std::lock_guard lock(writes_.mutex);
        if (!stopping_) {
            if (key != any_writer && !keyed_writes_.empty()) {
                keyed_writes_[key % keyed_writes_.size()].push_back(std::move(j));
                writes_.ready.notify_all();  // one condition for all writers: wake the one it is for
            } else {
                writes_.jobs.push_back(std::move(j));
                writes_.ready.notify_one();
            }
            return;
        }
    }
    j->fail(make_failure(errc::unavailable, "The server is shutting down."));
    j->complete();
}

void storage::post_read(std::unique_ptr<job> j) {
    {
        std::lock_guard lock(reads_.mutex);
        if (!stopping_) {
            reads_.jobs.push_back(std::move(j));
            reads_.ready.notify_one();
            return;
        }
    }
    j->fail(make_failure(errc::unavailable, "The server is shutting down."));
    j->complete();
}

storage_stats storage::stats() const {
    storage_stats s;
    s.batches = batches_.load();
    s.write_jobs = write_jobs_.load();
    s.read_jobs = read_jobs_.load();
    s.failed_batches = failed_batches_.load();
    s.careful_reruns = careful_reruns_.load();
    {
        std::lock_guard lock(const_cast<std::mutex&>(writes_.mutex));
        s.queued_writes = writes_.jobs.size();
        for (const auto& lane : keyed_writes_) s.queued_writes += lane.size();
    }
    return s;
}

void storage::writer_loop(connection& c, std::size_t index) {
    std::vector<std::unique_ptr<job>> batch;
    batch.reserve(options_.max_batch);
    std::deque<std::unique_ptr<job>>* mine = keyed_writes_.empty() ? nullptr : &keyed_writes_[index];
    for (;;) {
        {
            std::unique_lock lock(writes_.mutex);
            auto idle = [&] { return writes_.jobs.empty() && (mine == nullptr || mine->empty()); };
            writes_.ready.wait(lock, [&] { return stopping_ || !idle(); });
            if (idle() && stopping_) return;
            for (auto* q : {mine, &writes_.jobs}) {
                while (q != nullptr && !q->empty() && batch.size() < options_.max_batch) {
                    batch.push_back(std::move(q->front()));
                    q->pop_front();
                }
            }
        }
        run_batch(c, batch);
        batch.clear();
        commits_since_checkpoint_++;
    }
}

void storage::run_batch(connection& c, std::vector<std::unique_ptr<job>>& batch) {
    write_jobs_ += batch.size();
    if (batch.size() == 1) {
        run_alone(c, *batch.front());
        batch.front()->complete();
        batches_++;
        return;
    }
    bool retry_alone = false;
    try {
        if (c.kind() != dialect::sqlite || !run_without_savepoints(c, batch)) run_with_savepoints(c, batch);
    } catch (const std::exception& e) {
        failed_batches_++;
        spdlog::warn("storage: group commit of {} commands failed ({}); running them one by one", batch.size(), e.what());
        c.rollback();
        recover(c);
        retry_alone = true;
    }
    if (retry_alone)
        for (auto& j : batch) run_alone(c, *j);
    batches_++;
    for (auto& j : batch) j->complete();
}

void storage::run_with_savepoints(connection& c, std::vector<std::unique_ptr<job>>& batch) {
    c.begin_write();
    std::vector<std::size_t> keys;
    for (const auto& j : batch) keys.push_back(j->key);
    lock_keys(c, std::move(keys));
    auto& sp = c.statements<savepoint_statements>();
    for (auto& j : batch) {
        sp.save.execute(true);
        if (!run_job(*j, c)) sp.undo.execute(true);
        sp.release.execute(true);
    }
    c.commit();
}

// A savepoint per job costs SQLite more than its two statements: every page a job changes first is
// copied to the savepoint's journal (4 KB each; a registration changes about ten). Most jobs either
// succeed or fail before writing anything (a full event, an unknown ticket), and neither needs to
// be undone, so the batch first runs without savepoints. SQLite counts the rows each statement
// changed (a statement that failed counts none, its own changes undone); a job that failed after
// changing rows would need its part undone, so the whole transaction is rolled back and the batch
// runs again the careful way. Jobs are functions of the database, so running one twice is the same
// as running it once.
bool storage::run_without_savepoints(connection& c, std::vector<std::unique_ptr<job>>& batch) {
    c.begin_write();
    for (auto& j : batch) {
        long long before = c.rows_changed();
        if (!run_job(*j, c) && c.rows_changed() != before) {
            careful_reruns_++;
            c.rollback();
            return false;
        }
    }
    c.commit();
    return true;
}

void storage::run_alone(connection& c, job& j) {
    for (int attempt = 0;; ++attempt) {
        try {
            c.begin_write();
            lock_keys(c, {j.key});
            bool keep = false;
            try {
                keep = j.run(c);
            } catch (const failure_exception& e) {
                j.fail(e.get());
            }
            if (keep) c.commit();
            else c.rollback();
            return;
        } catch (const std::exception& e) {
            c.rollback();
            if (is_retryable(e) && attempt < 8) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1 << attempt));
                continue;
            }
            spdlog::error("storage: command failed: {}", e.what());
            recover(c);
            j.fail(storage_failure(e));
            return;
        }
    }
}

void storage::recover(connection& c) noexcept {
    try {
        int one = 0;
        c.sql << "SELECT 1", soci::into(one);
        if (c.kind() == dialect::postgresql) c.clear_statements();
        return;
    } catch (const std::exception& e) {
        spdlog::warn("storage: connection check failed ({}); reconnecting", e.what());
    }
    try {
        c.clear_statements();
        c.sql.reconnect();
    } catch (const std::exception& e) {
        spdlog::error("storage: reconnect failed: {}", e.what());
    }
}

void storage::checkpoint_loop(connection& c) {
    bool warned = false;
    std::unique_lock lock(checkpoint_mutex_);
    while (!stopping_) {
        checkpoint_wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_.load(); });
        if (stopping_ || commits_since_checkpoint_.exchange(0) == 0) continue;
        lock.unlock();
        try {
            // PASSIVE never waits for the writer or readers: it copies what it can now; the rest next time.
            c.sql << "PRAGMA wal_checkpoint(PASSIVE)";
            warned = false;
        } catch (const std::exception& e) {
            if (!warned) spdlog::warn("storage: WAL checkpoint failed (retried quietly): {}", e.what());
            warned = true;
            commits_since_checkpoint_++;
        }
        lock.lock();
    }
}

void storage::reader_loop(connection& c) {
    for (;;) {
        std::unique_ptr<job> j;
        {
            std::unique_lock lock(reads_.mutex);
            reads_.ready.wait(lock, [&] { return stopping_ || !reads_.jobs.empty(); });
            if (reads_.jobs.empty() && stopping_) return;
            j = std::move(reads_.jobs.front());
            reads_.jobs.pop_front();
        }
        read_jobs_++;
        try {
            c.begin_read();
            try {
                j->run(c);
            } catch (const failure_exception& e) {
                j->fail(e.get());
            }
            c.commit();
        } catch (const std::exception& e) {
            spdlog::error("storage: read failed: {}", e.what());
            c.rollback();
            recover(c);
            j->fail(storage_failure(e));
        }
        j->complete();
    }
}

}  // namespace ensemble::core::store
