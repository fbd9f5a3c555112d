// The outbox dispatcher: claims due rows per channel and sends them on its own worker threads,
// then marks them sent, or reschedules them with backoff, or fails them after the last attempt.
#pragma once

#include "core/domain/outbox.hpp"
#include "core/store/storage.hpp"
#include "integrations/delivery/backoff.hpp"
#include "integrations/delivery/outcome.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ensemble::integrations {

// Does the work of one row of a channel. Called on a dispatcher worker thread; may block (curl,
// storage read_now/write_now). Exceptions count as a failed attempt.
class message_handler {
public:
    virtual ~message_handler() = default;
    virtual delivery_outcome handle(const core::outbox_message& m) = 0;
};

struct dispatcher_settings {
    int max_attempts = 10;
    backoff_policy backoff;
    std::chrono::milliseconds poll_interval{250};
    int batch = 100;
    std::chrono::seconds lease{120};
    // Requests come first: while at least this many writes wait for the database writer (a rush of
    // registrations or check-ins), claims are put off, up to `busy_pause` since the last one. Messages
    // still leave during a long rush, a claim at a time, and catch up when it ends.
    std::size_t busy_writes = 32;
    std::chrono::milliseconds busy_pause{1000};
};

struct dispatcher_stats {
    std::uint64_t sent = 0, retried = 0, failed = 0, deferred = 0, cancelled = 0;
    std::uint64_t busy_waits = 0;  // claims put off because requests were waiting for the writer
};

class outbox_dispatcher {
public:
    outbox_dispatcher(core::store::storage& store, dispatcher_settings settings);
    ~outbox_dispatcher();
    outbox_dispatcher(const outbox_dispatcher&) = delete;
    outbox_dispatcher& operator=(const outbox_dispatcher&) = delete;

    // Adds a channel ("email", "zoom") served by `workers` threads. Before start() only.
    void add_channel(const std::string& channel, int workers, std::unique_ptr<message_handler> handler);
    // On SQLite, first puts back rows a dead process had claimed; then starts the threads.
    void start();
    // Looks for due rows now instead of at the next poll. Cheap; callable from any thread.
    void wake();
    // Stops claiming, lets the rows being sent finish, puts unstarted claimed rows back, joins.
    void stop();
    dispatcher_stats stats() const;

private:
    struct lane {
        std::string channel;
        int workers = 1;
        std::unique_ptr<message_handler> handler;
        std::deque<core::outbox_message> queue;
        int busy = 0;
        std::condition_variable ready;
        std::vector<std::thread> threads;
    };

    void claim_loop();
    void work_loop(lane& l);
    void settle(const core::outbox_message& m, const delivery_outcome& o);

    core::store::storage& store_;
    dispatcher_settings settings_;
    std::vector<std::unique_ptr<lane>> lanes_;
    mutable std::mutex mutex_;
    std::condition_variable claim_wake_;
    bool woken_ = false;
    bool stopping_ = false;
    bool started_ = false;
    std::thread claimer_;
    std::mutex rng_mutex_;
    std::mt19937_64 rng_;
    std::atomic<std::uint64_t> sent_{0}, retried_{0}, failed_{0}, deferred_{0}, cancelled_{0}, yields_{0};
};

}  // namespace ensemble::integrations
