// Dirty events are recounted at most four times a second and sent to their streams; on PostgreSQL a
// LISTEN connection carries other instances' check-ins.
#include "server/live_hub.hpp"

#include "core/domain/thread.hpp"
#include "core/services/checkin.hpp"
#include "core/store/checkin_repo.hpp"
#include "server/app.hpp"

#include <boost/asio/post.hpp>
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

namespace ensemble::server {

namespace asio = boost::asio;

live_subscriber::live_subscriber(asio::any_io_executor ex, long long event_id) : ex_(ex), event_id_(event_id), signal_(ex) {}

void live_subscriber::push(std::string message) {
    if (queue_.size() > 64) queue_.pop_front();  // a slow reader loses old counts, never blocks others
    queue_.push_back(std::move(message));
    signal_.cancel();
}

std::deque<std::string> live_subscriber::take() {
    std::deque<std::string> out;
    out.swap(queue_);
    return out;
}

void live_subscriber::close() {
    closed_ = true;
    asio::post(ex_, [self = shared_from_this()] { self->signal_.cancel(); });
}

live_hub::live_hub(app& a) : a_(a) {}
live_hub::~live_hub() { stop(); }

std::shared_ptr<live_subscriber> live_hub::subscribe(long long event_id, asio::any_io_executor ex) {
    auto s = std::make_shared<live_subscriber>(ex, event_id);
    std::lock_guard lock(mutex_);
    subscribers_.emplace(event_id, s);
    return s;
}

void live_hub::unsubscribe(const std::shared_ptr<live_subscriber>& s) {
    std::lock_guard lock(mutex_);
    auto [first, last] = subscribers_.equal_range(s->event_id());
    for (auto it = first; it != last;) {
        auto p = it->second.lock();
        if (!p || p == s) it = subscribers_.erase(it);
        else ++it;
    }
}

std::size_t live_hub::subscribers() const {
    std::lock_guard lock(mutex_);
    return subscribers_.size();
}

void live_hub::mark_dirty(long long event_id) {
    {
        std::lock_guard lock(mutex_);
        if (subscribers_.find(event_id) == subscribers_.end()) return;
        dirty_.insert(event_id);
    }
    wake_.notify_one();
}

std::string live_hub::counts_message(long long event_id) {
    auto counts = a_.store->read_now([event_id](core::store::connection& c) -> core::result<core::store::door_counts> {
        return core::store::count_door(c, event_id);
    });
    if (!counts) return {};
    nlohmann::json j = core::services::counts_json(*counts);
    j["event_id"] = event_id;
    j["at"] = core::format_utc(core::now());
    return "event: counts\ndata: " + j.dump() + "\n\n";
}

void live_hub::broadcast(long long event_id, const std::string& message) {
    std::vector<std::shared_ptr<live_subscriber>> targets;
    {
        std::lock_guard lock(mutex_);
        auto [first, last] = subscribers_.equal_range(event_id);
        for (auto it = first; it != last; ++it)
            if (auto p = it->second.lock()) targets.push_back(std::move(p));
    }
    for (auto& t : targets) asio::post(t->executor(), [t, message] { t->push(message); });
}

void live_hub::start() {
    ticker_ = std::thread([this] {
        core::name_this_thread("ens-live");
        tick_loop();
    });
    if (a_.store->kind() == core::store::dialect::postgresql) listener_ = std::thread([this] {
        core::name_this_thread("ens-listen");
        listen_loop();
    });
}

void live_hub::stop() {
    std::vector<std::shared_ptr<live_subscriber>> all;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !ticker_.joinable()) return;
        stopping_ = true;
        for (auto& [id, w] : subscribers_)
            if (auto p = w.lock()) all.push_back(p);
    }
    for (auto& s : all) s->close();
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    if (listener_.joinable()) listener_.join();
}

void live_hub::tick_loop() {
    auto last_full = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::milliseconds(250));
        if (stopping_) break;
        std::set<long long> events;
        events.swap(dirty_);
        // Every few seconds recount every watched event, for changes made by other instances.
        if (std::chrono::steady_clock::now() - last_full > std::chrono::seconds(5)) {
            for (auto& [id, w] : subscribers_) events.insert(id);
            last_full = std::chrono::steady_clock::now();
        }
        if (events.empty()) continue;
        lock.unlock();
        for (long long id : events) {
            try {
                auto message = counts_message(id);
                if (!message.empty()) broadcast(id, message);
            } catch (const std::exception& e) {
                spdlog::warn("live: counting event {} failed: {}", id, e.what());
            }
        }
        // Let the ticker breathe: at most four rounds a second.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        lock.lock();
    }
}

void live_hub::listen_loop() {
    const std::string& info = a_.store->url().connect;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        PGconn* conn = PQconnectdb(info.c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            spdlog::warn("live: LISTEN connection failed: {}", PQerrorMessage(conn));
            PQfinish(conn);
            std::this_thread::sleep_for(std::chrono::seconds(2));
            continue;
        }
        PGresult* r = PQexec(conn, "LISTEN ensemble_live");
        PQclear(r);
        bool healthy = true;
        while (healthy) {
            {
                std::lock_guard lock(mutex_);
                if (stopping_) break;
            }
            pollfd p{PQsocket(conn), POLLIN, 0};
            int ready = ::poll(&p, 1, 250);
            if (ready < 0) break;
            if (ready == 0) continue;
            if (!PQconsumeInput(conn)) {
                healthy = false;
                break;
            }
            while (PGnotify* n = PQnotifies(conn)) {
                long long id = std::atoll(n->extra);
                PQfreemem(n);
                if (id > 0) mark_dirty(id);
            }
        }
        PQfinish(conn);
        if (healthy) return;
        spdlog::warn("live: LISTEN connection lost; reconnecting");
    }
}

}  // namespace ensemble::server
