// Claiming, dispatching to channel workers, and settling outcomes through the storage writer.
#include "integrations/delivery/dispatcher.hpp"

#include "core/domain/thread.hpp"
#include "core/store/outbox_repo.hpp"

#include <spdlog/spdlog.h>

namespace ensemble::integrations {

namespace store = core::store;

outbox_dispatcher::outbox_dispatcher(store::storage& s, dispatcher_settings settings)
    : store_(s), settings_(settings), rng_(std::random_device{}()) {}

outbox_dispatcher::~outbox_dispatcher() { stop(); }

void outbox_dispatcher::add_channel(const std::string& channel, int workers, std::unique_ptr<message_handler> handler) {
    auto l = std::make_unique<lane>();
    l->channel = channel;
    l->workers = std::max(1, workers);
    l->handler = std::move(handler);
    lanes_.push_back(std::move(l));
}

void outbox_dispatcher::start() {
    if (store_.kind() == store::dialect::sqlite) {
        auto released = store_.write_now([](store::connection& c) -> core::result<long long> { return store::release_claims(c); });
        if (!released) throw std::runtime_error("outbox: cannot release old claims: " + released.error().message);
        if (*released > 0) spdlog::info("outbox: {} messages claimed before a restart are due again", *released);
    }
    std::lock_guard lock(mutex_);
    started_ = true;
    for (auto& l : lanes_)
        for (int i = 0; i < l->workers; ++i) l->threads.emplace_back([this, lp = l.get()] {
                core::name_this_thread("ens-send");
                core::lower_this_thread_priority(19);
                work_loop(*lp);
            });
    claimer_ = std::thread([this] {
        core::name_this_thread("ens-outbox");
        core::lower_this_thread_priority();
        claim_loop();
    });
}

void outbox_dispatcher::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    claim_wake_.notify_one();
}

void outbox_dispatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || !started_) {
            stopping_ = true;
            return;
        }
        stopping_ = true;
    }
    claim_wake_.notify_all();
    for (auto& l : lanes_) l->ready.notify_all();
    if (claimer_.joinable()) claimer_.join();
    for (auto& l : lanes_)
        for (auto& t : l->threads)
            if (t.joinable()) t.join();
    // Rows claimed but not started go back without counting an attempt.
    std::vector<long long> unstarted;
    {
        std::lock_guard lock(mutex_);
        for (auto& l : lanes_) {
            for (const auto& m : l->queue) unstarted.push_back(m.id);
            l->queue.clear();
        }
    }
    if (!unstarted.empty()) {
        auto done = store_.write_now([unstarted](store::connection& c) -> core::result<bool> {
            auto at = core::now();
            for (long long id : unstarted) store::defer(c, id, at);
            return true;
        });
        if (!done)
            spdlog::warn("outbox: could not put back {} unsent messages (they are sent after their lease): {}", unstarted.size(),
                         done.error().message);
    }
}

dispatcher_stats outbox_dispatcher::stats() const {
    return {sent_.load(), retried_.load(), failed_.load(), deferred_.load(), cancelled_.load(), yields_.load()};
}

void outbox_dispatcher::claim_loop() {
    std::unique_lock lock(mutex_);
    using clock = std::chrono::steady_clock;
    auto last_claim = clock::now();
    auto last_busy = clock::time_point{};
    while (!stopping_) {
        // The writer's queue drains with every group commit, so one look can miss a rush: it counts
        // as busy for a tenth of a second after a look that saw it.
        auto at = clock::now();
        if (settings_.busy_writes > 0 && store_.stats().queued_writes >= settings_.busy_writes) last_busy = at;
        if (at - last_busy < std::chrono::milliseconds(100) && at - last_claim < settings_.busy_pause) {
            ++yields_;
            claim_wake_.wait_for(lock, std::chrono::milliseconds(10), [this] { return stopping_; });
            continue;
        }
        last_claim = at;
        bool claimed_any = false;
        bool full = true;
        for (auto& l : lanes_) {
            // A lane is refilled when fewer rows are queued than it has workers, up to four rows per
            // worker in one claim: one claim per few dozen messages rather than one per message sent,
            // so that delivery costs the database writer little while registrations pour in.
            if (static_cast<int>(l->queue.size()) >= l->workers) continue;
            int room = l->workers * 4 - static_cast<int>(l->queue.size()) - l->busy;
            if (room <= 0) continue;
            full = false;
            int limit = std::min(room, settings_.batch);
            std::string channel = l->channel;
            auto lease = settings_.lease;
            lock.unlock();
            std::vector<core::outbox_message> rows;
            auto claimed = store_.write_now([channel, limit, lease](store::connection& c) -> core::result<std::vector<core::outbox_message>> {
                auto at = core::now();
                return store::claim_due(c, at, at + lease, limit, channel);
            });
            if (claimed) rows = std::move(*claimed);
            else spdlog::warn("outbox: claiming {} messages failed: {}", channel, claimed.error().message);
            lock.lock();
            if (!rows.empty()) {
                claimed_any = true;
                for (auto& m : rows) l->queue.push_back(std::move(m));
                l->ready.notify_all();
            }
        }
        if (stopping_) break;
        if (claimed_any && !full) continue;
        // Wait for a wake-up, a worker freeing room, or the next poll.
        claim_wake_.wait_for(lock, settings_.poll_interval, [this] { return stopping_ || woken_; });
        woken_ = false;
    }
}

void outbox_dispatcher::work_loop(lane& l) {
    std::unique_lock lock(mutex_);
    for (;;) {
        l.ready.wait(lock, [&] { return stopping_ || !l.queue.empty(); });
        if (stopping_) return;
        core::outbox_message m = std::move(l.queue.front());
        l.queue.pop_front();
        ++l.busy;
        lock.unlock();
        delivery_outcome outcome;
        try {
            outcome = l.handler->handle(m);
        } catch (const std::exception& e) {
            spdlog::error("outbox: message {} ({}) failed inside the server: {}", m.id, m.kind, e.what());
            outcome = delivery_outcome::retry(std::string("internal error: ") + e.what());
        }
        settle(m, outcome);
        lock.lock();
        --l.busy;
        woken_ = true;
        claim_wake_.notify_one();
    }
}

void outbox_dispatcher::settle(const core::outbox_message& m, const delivery_outcome& o) {
    using kind = delivery_outcome::kind;
    auto at = core::now();
    kind what = o.what;
    core::instant next = at;
    int attempt = m.attempts + 1;
    if (what == kind::retry) {
        if (attempt >= settings_.max_attempts) what = kind::give_up;
        else {
            std::lock_guard lock(rng_mutex_);
            next = next_attempt_at(settings_.backoff, attempt, o.not_before, at, rng_);
        }
    }
    if (what == kind::defer) next = o.not_before.value_or(at + std::chrono::seconds(30));
    switch (what) {
        case kind::done: ++sent_; break;
        case kind::retry:
            ++retried_;
            spdlog::info("outbox: message {} ({}) attempt {} failed, next at {}: {}", m.id, m.kind, attempt, core::format_utc(next), o.note);
            break;
        case kind::give_up:
            ++failed_;
            spdlog::warn("outbox: message {} ({}) failed after {} attempts: {}", m.id, m.kind, attempt, o.note);
            break;
        case kind::defer: ++deferred_; break;
        case kind::skip: ++cancelled_; break;
    }
    long long id = m.id;
    std::string note = o.note;
    // Settled through the group-committing writer without waiting: the row stays leased until then.
    store_.post_write(store::make_job(
        [id, what, next, note, at](store::connection& c) -> core::result<bool> {
            switch (what) {
                case kind::done: store::mark_sent(c, id, at); break;
                case kind::retry: store::mark_retry(c, id, note, next, false); break;
                case kind::give_up: store::mark_retry(c, id, note, next, true); break;
                case kind::defer: store::defer(c, id, next); break;
                case kind::skip: store::mark_cancelled(c, id, note); break;
            }
            return true;
        },
        [id](const core::result<bool>& r) {
            if (!r) spdlog::warn("outbox: could not record the outcome of message {}: {}", id, r.error().message);
        }));
}

}  // namespace ensemble::integrations
