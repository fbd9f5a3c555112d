// Ensemble's settings: one struct, read from JSON, overridden by ENSEMBLE_* variables, validated.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ensemble::server {

struct http_settings {
    std::size_t body_limit_bytes = 64 * 1024;
    std::size_t header_limit_bytes = 16 * 1024;
    int read_timeout_s = 15;
    int idle_timeout_s = 60;
    int max_connections = 10000;
    std::vector<std::string> trusted_proxies;
};

struct storage_settings {
    int read_threads = 2;
    int postgres_writers = 1;  // measured best for a registration rush on one event (bench/RESULTS.md)
    int max_batch = 512;
    std::string sqlite_synchronous = "full";
    int busy_timeout_ms = 5000;
};

struct log_settings {
    std::string level = "info";
    std::string access_log = "stdout";  // stdout | off | a file path
};

struct rate_limit_settings {
    int login_per_minute_per_ip = 10;
    int login_per_hour_per_account = 20;
    int registration_per_minute_per_ip = 20;
    int registration_burst = 10;
    int checkin_per_minute_per_link = 1200;
    int public_per_minute_per_ip = 0;  // 0: unlimited
};

struct email_settings {
    std::string provider = "file";
    std::string from = "Ensemble <events@localhost>";
    std::string mail_dir = "data/mail";
    std::string smtp_url;
    std::string smtp_user;
    std::string smtp_password;
    std::string sendgrid_api_key;
    std::string sendgrid_url = "https://api.sendgrid.com";
    std::string postmark_token;
    std::string postmark_url = "https://api.postmarkapp.com";
    int timeout_s = 20;
    std::string templates_dir = "integrations/templates";  // Mustache templates, <dir>/<lang>/<kind>.*.mustache
    int requests_per_second = 0;                            // 0: no pacing beyond outbox.workers parallel sends
};

struct zoom_settings {
    std::string account_id;
    std::string client_id;
    std::string client_secret;
    std::string user = "me";
    std::string webhook_secret;
    std::string api_url = "https://api.zoom.us/v2";
    std::string oauth_url = "https://zoom.us";
    int requests_per_second = 10;
    int timeout_s = 20;
    int max_concurrent = 2;  // Zoom calls in flight at once
    bool enabled() const noexcept { return !account_id.empty() && !client_id.empty() && !client_secret.empty(); }
};

struct outbox_settings {
    int workers = 8;  // emails sent at once (provider calls are mostly waiting on the network)
    int max_attempts = 10;
    int base_delay_s = 10;
    int max_delay_s = 6 * 3600;
    int poll_interval_ms = 250;
    int batch = 100;
    int lease_s = 120;
    int busy_writes = 32;     // claims wait while this many writes queue for the database (0: never wait)
    int busy_pause_ms = 1000; // but at most this long between two claims
};

struct reminder_settings {
    std::vector<int> before_minutes = {24 * 60, 60};
    int check_interval_s = 30;  // how often the planner looks for reminders whose time has come
};

struct privacy_settings {
    int retention_days = 0;  // 0: keep until erased by hand
};

struct config {
    std::string listen = "127.0.0.1:8080";
    std::string public_url = "http://127.0.0.1:8080";
    std::string database = "sqlite:data/ensemble.db";
    std::string web_root = "web";
    std::string data_dir = "data";
    int io_threads = 2;
    int session_ttl_hours = 12;
    http_settings http;
    storage_settings storage;
    log_settings log;
    rate_limit_settings rate_limits;
    email_settings email;
    zoom_settings zoom;
    outbox_settings outbox;
    reminder_settings reminders;
    privacy_settings privacy;

    std::string listen_host() const;
    unsigned short listen_port() const;
    bool secure_cookies() const { return public_url.rfind("https://", 0) == 0; }
};

// Thrown for a bad setting; the message names it ("http.read_timeout_s: must be ...").
struct config_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Defaults, then the file (when given), then the environment. Throws config_error.
config load_config(const std::string& file, const std::vector<std::pair<std::string, std::string>>& environment);
// The process environment's ENSEMBLE_* variables.
std::vector<std::pair<std::string, std::string>> ensemble_environment();
// Every setting with its default, as the example file documents them.
nlohmann::json default_config_json();

}  // namespace ensemble::server
