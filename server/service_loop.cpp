// Housekeeping every minute, through the storage writer like every other write.
#include "server/service_loop.hpp"

#include "core/domain/thread.hpp"
#include "core/services/reports.hpp"
#include "core/store/registrations_repo.hpp"
#include "core/store/users_repo.hpp"

#include <spdlog/spdlog.h>

#include <array>

namespace ensemble::server {

service_loop::service_loop(app& a) : a_(a) {}
service_loop::~service_loop() { stop(); }

void service_loop::start() {
    thread_ = std::thread([this] {
        core::name_this_thread("ens-service");
        core::lower_this_thread_priority();
        run();
    });
}

void service_loop::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void service_loop::housekeeping() {
    int retention_days = a_.cfg.privacy.retention_days;
    auto done = a_.store->write_now([retention_days](core::store::connection& c) -> core::result<std::array<long long, 3>> {
        auto t = core::now();
        long long sessions = core::store::purge_expired_sessions(c, t);
        long long keys = core::store::purge_idempotency(c, t - std::chrono::hours(48));
        long long anonymised = core::services::apply_retention(c, retention_days, t);
        return std::array<long long, 3>{sessions, keys, anonymised};
    });
    if (done && ((*done)[0] || (*done)[1]))
        spdlog::debug("housekeeping: {} expired sessions, {} old idempotency keys removed", (*done)[0], (*done)[1]);
    if (done && (*done)[2]) spdlog::info("privacy: anonymised the personal data of {} ended events (retention {} days)", (*done)[2], retention_days);
}

void service_loop::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            housekeeping();
        } catch (const std::exception& e) {
            spdlog::warn("housekeeping failed: {}", e.what());
        }
        lock.lock();
        wake_.wait_for(lock, std::chrono::seconds(60), [this] { return stopping_; });
    }
}

}  // namespace ensemble::server
