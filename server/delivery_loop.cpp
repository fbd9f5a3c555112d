// Wiring the dispatcher's lanes and providers from the settings, and planning reminders on a timer.
#include "server/delivery_loop.hpp"

#include "core/domain/thread.hpp"
#include "core/services/delivery.hpp"
#include "integrations/delivery/email_handler.hpp"
#include "integrations/delivery/zoom_handler.hpp"
#include "integrations/http/http_client.hpp"

#include <spdlog/spdlog.h>


namespace ensemble::server {
namespace {

namespace fs = std::filesystem;
namespace in = ensemble::integrations;

in::mail_settings mail_settings_of(const email_settings& e) {
    in::mail_settings m;
    m.provider = e.provider;
    m.mail_dir = e.mail_dir;
    m.smtp_url = e.smtp_url;
    m.smtp_user = e.smtp_user;
    m.smtp_password = e.smtp_password;
    m.sendgrid_api_key = e.sendgrid_api_key;
    m.sendgrid_url = e.sendgrid_url;
    m.postmark_token = e.postmark_token;
    m.postmark_url = e.postmark_url;
    m.timeout = std::chrono::seconds(e.timeout_s);
    return m;
}

in::zoom_settings zoom_settings_of(const zoom_settings& z) {
    in::zoom_settings s;
    s.account_id = z.account_id;
    s.client_id = z.client_id;
    s.client_secret = z.client_secret;
    s.user = z.user;
    s.api_url = z.api_url;
    s.oauth_url = z.oauth_url;
    s.requests_per_second = z.requests_per_second;
    s.timeout = std::chrono::seconds(z.timeout_s);
    return s;
}

fs::path executable_dir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

}  // namespace

fs::path locate_templates(const std::string& setting) {
    fs::path p(setting);
    std::error_code ec;
    if (p.is_absolute() || fs::is_directory(p, ec)) return p;
    fs::path dir = executable_dir();
    for (int up = 0; up < 4 && !dir.empty(); ++up, dir = dir.parent_path()) {
        fs::path candidate = dir / p;
        if (fs::is_directory(candidate, ec)) return candidate;
        if (dir == dir.parent_path()) break;
    }
    return p;
}

delivery_loop::delivery_loop(app& a) : a_(a) {
    in::init_curl();
    const config& cfg = a.cfg;
    in::dispatcher_settings ds;
    ds.max_attempts = cfg.outbox.max_attempts;
    ds.backoff.base = std::chrono::seconds(cfg.outbox.base_delay_s);
    ds.backoff.cap = std::chrono::seconds(cfg.outbox.max_delay_s);
    ds.poll_interval = std::chrono::milliseconds(cfg.outbox.poll_interval_ms);
    ds.batch = cfg.outbox.batch;
    ds.lease = std::chrono::seconds(cfg.outbox.lease_s);
    ds.busy_writes = static_cast<std::size_t>(cfg.outbox.busy_writes);
    ds.busy_pause = std::chrono::milliseconds(cfg.outbox.busy_pause_ms);
    dispatcher_ = std::make_unique<in::outbox_dispatcher>(*a.store, ds);

    auto templates = std::make_shared<const in::template_set>(locate_templates(cfg.email.templates_dir));
    in::mail_context ctx{cfg.public_url, in::parse_mail_address(cfg.email.from)};
    dispatcher_->add_channel("email", cfg.outbox.workers,
                             std::make_unique<in::email_handler>(*a.store, templates, in::make_mail_sender(mail_settings_of(cfg.email)), ctx,
                                                                 cfg.email.requests_per_second));
    std::shared_ptr<in::zoom_client> zoom;
    if (cfg.zoom.enabled()) zoom = std::make_shared<in::zoom_client>(zoom_settings_of(cfg.zoom));
    auto* d = dispatcher_.get();
    dispatcher_->add_channel("zoom", cfg.zoom.max_concurrent, std::make_unique<in::zoom_handler>(*a.store, zoom, [d] { d->wake(); }));
    a.wake_outbox = [d] { d->wake(); };
    if (a.stats) {
        a.stats->add_gauge("ensemble_outbox_sent_total", "Outbox messages delivered since start.",
                           [d] { return static_cast<double>(d->stats().sent); });
        a.stats->add_gauge("ensemble_outbox_retried_total", "Outbox attempts that failed and were rescheduled since start.",
                           [d] { return static_cast<double>(d->stats().retried); });
        a.stats->add_gauge("ensemble_outbox_failed_total", "Outbox messages given up after their last attempt since start.",
                           [d] { return static_cast<double>(d->stats().failed); });
        a.stats->add_gauge("ensemble_outbox_busy_waits_total", "Outbox claims put off while requests waited for the database writer.",
                           [d] { return static_cast<double>(d->stats().busy_waits); });
    }
    spdlog::info("delivery: email by {} (templates in {}), Zoom {}", cfg.email.provider, templates->folder().string(),
                 zoom ? "on" : "off");
}

delivery_loop::~delivery_loop() { stop(); }

void delivery_loop::start() {
    dispatcher_->start();
    planner_ = std::thread([this] {
        core::name_this_thread("ens-planner");
        core::lower_this_thread_priority();
        plan_loop();
    });
}

void delivery_loop::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (planner_.joinable()) planner_.join();
    dispatcher_->stop();
}

void delivery_loop::plan_loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        auto offsets = a_.cfg.reminders.before_minutes;
        auto planned = a_.store->write_now([offsets](core::store::connection& c) -> core::result<long long> {
            return core::services::plan_reminders(c, offsets, core::now());
        });
        if (!planned) spdlog::warn("reminders: planning failed: {}", planned.error().message);
        else if (*planned > 0) {
            spdlog::info("reminders: {} reminder emails queued", *planned);
            dispatcher_->wake();
        }
        lock.lock();
        wake_.wait_for(lock, std::chrono::seconds(a_.cfg.reminders.check_interval_s), [this] { return stopping_; });
    }
}

}  // namespace ensemble::server
