// Live door counts pushed to organizers and volunteers: a hub that never blocks one session on another.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ensemble::server {

class app;

// One server-sent-events session's queue. Touched only on its own executor, except `closed`.
class live_subscriber : public std::enable_shared_from_this<live_subscriber> {
public:
    live_subscriber(boost::asio::any_io_executor ex, long long event_id);
    long long event_id() const noexcept { return event_id_; }
    boost::asio::any_io_executor executor() const { return ex_; }
    // On the subscriber's executor: queue a message and wake the writer.
    void push(std::string message);
    // Messages waiting, taken in one go (on the subscriber's executor).
    std::deque<std::string> take();
    boost::asio::steady_timer& signal() noexcept { return signal_; }
    void close();
    bool closed() const noexcept { return closed_; }

private:
    boost::asio::any_io_executor ex_;
    long long event_id_;
    boost::asio::steady_timer signal_;
    std::deque<std::string> queue_;
    std::atomic<bool> closed_{false};
};

class live_hub {
public:
    explicit live_hub(app& a);
    ~live_hub();

    std::shared_ptr<live_subscriber> subscribe(long long event_id, boost::asio::any_io_executor ex);
    void unsubscribe(const std::shared_ptr<live_subscriber>& s);
    // Counts of this event changed (here or, through PostgreSQL notifications, on another instance).
    void mark_dirty(long long event_id);
    // Starts the ticker (and on PostgreSQL the LISTEN thread).
    void start();
    // Closes every stream and stops the threads.
    void stop();
    std::size_t subscribers() const;

    // The counts message of an event, as sent to streams.
    std::string counts_message(long long event_id);

private:
    void tick_loop();
    void listen_loop();
    void broadcast(long long event_id, const std::string& message);

    app& a_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::multimap<long long, std::weak_ptr<live_subscriber>> subscribers_;
    std::set<long long> dirty_;
    bool stopping_ = false;
    std::thread ticker_;
    std::thread listener_;
};

}  // namespace ensemble::server
