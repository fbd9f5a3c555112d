// The storage executor: one writer that commits queued commands in groups, and a pool of readers.
#pragma once

#include "core/domain/error.hpp"
#include "core/store/database.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace ensemble::core::store {

// A unit of database work and the delivery of its outcome.
class job {
public:
    virtual ~job() = default;
    // Runs inside an open transaction. Returns false for an expected failure: its writes are undone.
    virtual bool run(connection& c) = 0;
    // The job could not run or its transaction did not commit.
    virtual void fail(const failure& f) = 0;
    // Hands over the outcome; called exactly once, after the commit that holds the job's writes.
    virtual void complete() = 0;
    // What the job was posted with (storage::post_write): say, its event.
    std::size_t key = static_cast<std::size_t>(-1);
};

template <class R>
bool succeeded(const R& r) {
    if constexpr (requires { r.has_value(); }) return r.has_value();
    else return true;
}

template <class R>
R failed_result(const failure& f) {
    if constexpr (requires { R(f); }) return R(f);
    else throw failure_exception(f);
}

// A job made of a function `R(connection&)` and a completion `void(R)`.
template <class F, class Done>
class function_job final : public job {
public:
    using result_type = std::invoke_result_t<F&, connection&>;
    function_job(F f, Done done) : f_(std::move(f)), done_(std::move(done)) {}
    bool run(connection& c) override {
        result_.reset();
        result_.emplace(f_(c));
        return succeeded(*result_);
    }
    void fail(const failure& f) override { result_.emplace(failed_result<result_type>(f)); }
    void complete() override { done_(std::move(*result_)); }

private:
    F f_;
    Done done_;
    std::optional<result_type> result_;
};

template <class F, class Done>
std::unique_ptr<job> make_job(F f, Done done) {
    using R = std::invoke_result_t<F&, connection&>;
    static_assert(std::is_constructible_v<R, failure>, "storage jobs return core::result<T>, so a failure can be reported");
    return std::make_unique<function_job<F, Done>>(std::move(f), std::move(done));
}

struct storage_options {
    std::string url = "sqlite:data/ensemble.db";
    int read_threads = 2;
    int postgres_writers = 4;     // writer connections on PostgreSQL (SQLite always has one)
    std::size_t max_batch = 512;  // commands per group commit at most
    sqlite_tuning sqlite;
};

struct storage_stats {
    std::uint64_t batches = 0;
    std::uint64_t write_jobs = 0;
    std::uint64_t read_jobs = 0;
    std::uint64_t failed_batches = 0;
    std::uint64_t careful_reruns = 0;  // SQLite batches run again with savepoints (a job failed after writing)
    std::size_t queued_writes = 0;
};

class storage {
public:
    // Opens the connections (throws with a clear message when the database cannot be reached).
    explicit storage(storage_options options);
    ~storage();
    storage(const storage&) = delete;
    storage& operator=(const storage&) = delete;

    dialect kind() const noexcept { return url_.kind; }
    const database_url& url() const noexcept { return url_; }

    static constexpr std::size_t any_writer = static_cast<std::size_t>(-1);
    // Queues a write. It runs on a writer inside a transaction shared with other queued writes
    // (each in its own savepoint) and completes only once that transaction has committed.
    // Writes with the same `key` (say, an event's) go to the same writer when there are several
    // (PostgreSQL): they would queue on the same row lock anyway, and one writer batches them into
    // one transaction instead of several writers each holding the lock for a few.
    void post_write(std::unique_ptr<job> j, std::size_t key = any_writer);
    // Queues a read on the read pool, inside a read transaction.
    void post_read(std::unique_ptr<job> j);

    // Blocking forms for the command line and tests: run `f(connection&)` and return its result.
    template <class F>
    auto write_now(F f) {
        return wait_for(std::move(f), true);
    }
    template <class F>
    auto read_now(F f) {
        return wait_for(std::move(f), false);
    }

    // Stops taking work, finishes what is queued, closes the connections.
    void stop();
    storage_stats stats() const;

private:
    template <class F>
    auto wait_for(F f, bool write) {
        using R = std::invoke_result_t<F&, connection&>;
        auto promise = std::make_shared<std::promise<R>>();
        auto future = promise->get_future();
        auto j = make_job(std::move(f), [promise](R r) { promise->set_value(std::move(r)); });
        if (write) post_write(std::move(j));
        else post_read(std::move(j));
        return future.get();
    }

    struct queue {
        std::mutex mutex;
        std::condition_variable ready;
        std::deque<std::unique_ptr<job>> jobs;
    };

    void writer_loop(connection& c, std::size_t index);
    void reader_loop(connection& c);
    void run_batch(connection& c, std::vector<std::unique_ptr<job>>& batch);
    void run_alone(connection& c, job& j);
    // SQLite: the batch in one transaction without a savepoint per job; false (and rolled back) when
    // a job failed after writing, so the batch must run again with savepoints.
    bool run_without_savepoints(connection& c, std::vector<std::unique_ptr<job>>& batch);
    // The batch in one transaction, each job in a savepoint that is undone when the job fails.
    void run_with_savepoints(connection& c, std::vector<std::unique_ptr<job>>& batch);
    void recover(connection& c) noexcept;
    void checkpoint_loop(connection& c);

    storage_options options_;
    database_url url_;
    queue writes_;                                             // any writer takes these
    std::vector<std::deque<std::unique_ptr<job>>> keyed_writes_;  // per writer (several writers only), under writes_.mutex
    queue reads_;
    std::atomic<bool> stopping_{false};
    std::vector<std::unique_ptr<connection>> writer_connections_;
    std::vector<std::unique_ptr<connection>> reader_connections_;
    // SQLite: WAL checkpoints run here, every quarter second after commits, instead of inside the
    // writer's commit (which would stall a batch of registrations while pages are copied and synced).
    std::unique_ptr<connection> checkpoint_connection_;
    std::thread checkpointer_;
    std::mutex checkpoint_mutex_;
    std::condition_variable checkpoint_wake_;
    std::atomic<std::uint64_t> commits_since_checkpoint_{0};
    std::vector<std::thread> threads_;
    std::atomic<std::uint64_t> batches_{0}, write_jobs_{0}, read_jobs_{0}, failed_batches_{0}, careful_reruns_{0};
};

// The failure reported when the database itself failed (full disk, lost connection, bug).
failure storage_failure(const std::exception& e);

}  // namespace ensemble::core::store
