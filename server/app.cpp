// Wiring the shared state together.
#include "server/app.hpp"

#include "core/store/migrations.hpp"
#include "server/handlers/common.hpp"
#include "server/live_hub.hpp"

namespace ensemble::server {

namespace {

core::store::storage_options storage_options_of(const config& cfg) {
    core::store::storage_options o;
    o.url = cfg.database;
    o.read_threads = cfg.storage.read_threads;
    o.postgres_writers = cfg.storage.postgres_writers;
    o.max_batch = static_cast<std::size_t>(cfg.storage.max_batch);
    o.sqlite.synchronous_full = cfg.storage.sqlite_synchronous == "full";
    o.sqlite.busy_timeout_ms = cfg.storage.busy_timeout_ms;
    return o;
}

}  // namespace

app::app(config c, boost::asio::io_context& io)
    : cfg(std::move(c)),
      ioc(io),
      login_by_ip(cfg.rate_limits.login_per_minute_per_ip, std::chrono::seconds(60), std::max(1, cfg.rate_limits.login_per_minute_per_ip)),
      login_by_account(cfg.rate_limits.login_per_hour_per_account, std::chrono::seconds(3600),
                       std::max(1, cfg.rate_limits.login_per_hour_per_account / 2)),
      registration_by_ip(cfg.rate_limits.registration_per_minute_per_ip, std::chrono::seconds(60), cfg.rate_limits.registration_burst),
      checkin_by_link(cfg.rate_limits.checkin_per_minute_per_link, std::chrono::seconds(60),
                      std::max(1, cfg.rate_limits.checkin_per_minute_per_link / 4)),
      door_reads_by_link(cfg.rate_limits.checkin_per_minute_per_link, std::chrono::seconds(60),
                         std::max(1, cfg.rate_limits.checkin_per_minute_per_link / 4)),
      public_by_ip(cfg.rate_limits.public_per_minute_per_ip, std::chrono::seconds(60), std::max(1, cfg.rate_limits.public_per_minute_per_ip / 2)) {
    store = std::make_unique<core::store::storage>(storage_options_of(cfg));
    access = std::make_unique<access_log>(cfg.log.access_log);
    web = std::make_unique<static_files>(cfg.web_root);
    live = std::make_shared<live_hub>(*this);

    add_system_routes(*this);
    add_account_routes(*this);
    add_event_routes(*this);
    add_registration_routes(*this);
    add_checkin_routes(*this);
    add_report_routes(*this);
    add_outbox_routes(*this);
    add_integration_routes(*this);
    add_page_routes(*this);

    std::vector<std::string> labels;
    for (const auto& r : routes.routes()) labels.push_back(std::string(boost::beast::http::to_string(r.method)) + " " + r.pattern);
    stats = std::make_unique<metrics>(std::move(labels));
    stats->add_gauge("ensemble_storage_queued_writes", "Writes waiting for the storage writer.",
                     [this] { return static_cast<double>(store->stats().queued_writes); });
    stats->add_gauge("ensemble_storage_batches_total", "Group commits done since start.", [this] { return static_cast<double>(store->stats().batches); });
    stats->add_gauge("ensemble_storage_write_jobs_total", "Write commands run since start.",
                     [this] { return static_cast<double>(store->stats().write_jobs); });
    stats->add_gauge("ensemble_storage_careful_reruns_total",
                     "SQLite group commits run again with a savepoint per command, because one failed after writing.",
                     [this] { return static_cast<double>(store->stats().careful_reruns); });
}

app::~app() {
    if (live) live->stop();
    cpu_pool.join();
    if (store) store->stop();
}

void app::event_changed(long long event_id) {
    public_answers.invalidate();
    if (live) live->mark_dirty(event_id);
}

void app::door_changed(long long event_id) {
    if (live) live->mark_dirty(event_id);
}

}  // namespace ensemble::server
