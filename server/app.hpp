// The server's shared state: settings, storage, caches, limits, metrics and the route table.
#pragma once

#include "core/services/event_cache.hpp"
#include "core/store/storage.hpp"
#include "server/access_log.hpp"
#include "server/config.hpp"
#include "server/metrics.hpp"
#include "server/public_cache.hpp"
#include "server/rate_limiter.hpp"
#include "server/router.hpp"
#include "server/static_files.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>

namespace ensemble::server {

class live_hub;

class app {
public:
    app(config cfg, boost::asio::io_context& ioc);
    ~app();

    config cfg;
    boost::asio::io_context& ioc;
    // The contexts connections are spread over, one per I/O thread (each run by one thread only, so
    // a connection needs no strand). Empty: connections run on strands of `ioc`.
    std::vector<boost::asio::io_context*> connection_contexts;
    std::unique_ptr<core::store::storage> store;
    core::services::event_cache events;
    public_cache public_answers{std::chrono::milliseconds(1000)};
    std::unique_ptr<access_log> access;
    rate_limiter login_by_ip;
    rate_limiter login_by_account;
    rate_limiter registration_by_ip;
    rate_limiter checkin_by_link;
    rate_limiter door_reads_by_link;  // search, list and session: a budget of their own, at the same rate
    rate_limiter public_by_ip;
    boost::asio::thread_pool cpu_pool{1};
    router routes;
    std::unique_ptr<metrics> stats;
    std::unique_ptr<static_files> web;
    std::shared_ptr<live_hub> live;
    std::atomic<bool> stopping{false};
    // Health: when the last database probe started and when one last succeeded (ms since epoch).
    std::atomic<long long> db_probe_started_ms{0};
    std::atomic<long long> db_ok_ms{core::to_ms(core::now())};

    // Called after writes that owe messages, so the dispatcher looks at once instead of at its next poll.
    std::function<void()> wake_outbox = [] {};
    // Called after a change to an event or its seats, for public caches and live counts.
    void event_changed(long long event_id);
    // Called after a check-in or an undo: live counts only (nothing public changes at the door, so
    // the public pages keep their cache during the morning rush).
    void door_changed(long long event_id);

    std::string manage_url(const std::string& token) const { return cfg.public_url + "/manage/" + token; }
    bool rate_limits_public_enabled() const noexcept { return cfg.rate_limits.public_per_minute_per_ip > 0; }
};

}  // namespace ensemble::server
