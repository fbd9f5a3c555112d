// Loading and checking the settings; every failure names the setting at fault.
#include "server/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace ensemble::server {
namespace {

using json = nlohmann::json;

const std::pair<const char*, const char*> aliases[] = {
    {"ENSEMBLE_MAIL_FROM", "/email/from"},
    {"ENSEMBLE_MAIL_DIR", "/email/mail_dir"},
    {"ENSEMBLE_SMTP_URL", "/email/smtp_url"},
    {"ENSEMBLE_SMTP_USER", "/email/smtp_user"},
    {"ENSEMBLE_SMTP_PASSWORD", "/email/smtp_password"},
    {"ENSEMBLE_SENDGRID_API_KEY", "/email/sendgrid_api_key"},
    {"ENSEMBLE_SENDGRID_URL", "/email/sendgrid_url"},
    {"ENSEMBLE_POSTMARK_TOKEN", "/email/postmark_token"},
    {"ENSEMBLE_POSTMARK_URL", "/email/postmark_url"},
};

void collect_leaves(const json& j, const std::string& pointer, std::vector<std::string>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) collect_leaves(it.value(), pointer + "/" + it.key(), out);
    } else {
        out.push_back(pointer);
    }
}

std::string env_name_of(const std::string& pointer) {
    std::string out = "ENSEMBLE";
    for (char c : pointer) out += c == '/' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string setting_name(const std::string& pointer) {
    std::string out = pointer.substr(1);
    std::replace(out.begin(), out.end(), '/', '.');
    return out;
}

std::string read_secret_file(const std::string& path, const std::string& setting) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error(setting + ": cannot read the file " + path);
    std::ostringstream s;
    s << in.rdbuf();
    std::string v = s.str();
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.pop_back();
    return v;
}

// Converts an environment string to the type of the default value at that setting.
json from_env(const std::string& text, const json& like, const std::string& setting) {
    if (like.is_string()) return text;
    if (like.is_boolean()) {
        if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
        if (text == "0" || text == "false" || text == "no" || text == "off") return false;
        throw config_error(setting + ": must be true or false (got '" + text + "')");
    }
    if (like.is_number_integer()) {
        long long v = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || p != text.data() + text.size()) throw config_error(setting + ": must be a whole number (got '" + text + "')");
        return v;
    }
    if (like.is_array()) {
        json arr = json::array();
        std::stringstream ss(text);
        std::string part;
        bool numbers = !like.empty() && like.front().is_number_integer();
        while (std::getline(ss, part, ',')) {
            if (part.empty()) continue;
            if (numbers) arr.push_back(from_env(part, 0, setting));
            else arr.push_back(part);
        }
        return arr;
    }
    throw config_error(setting + ": cannot be set from the environment");
}

template <class T>
void take(const json& root, const char* pointer, T& out) {
    const json& v = root.at(json::json_pointer(pointer));
    std::string name = setting_name(pointer);
    try {
        out = v.get<T>();
    } catch (const json::exception&) {
        if constexpr (std::is_same_v<T, std::string>) throw config_error(name + ": must be a string");
        else if constexpr (std::is_same_v<T, int>) throw config_error(name + ": must be a whole number");
        else if constexpr (std::is_same_v<T, std::size_t>) throw config_error(name + ": must be a positive whole number");
        else throw config_error(name + ": has the wrong type");
    }
}

void require(bool ok, const std::string& setting, const std::string& what) {
    if (!ok) throw config_error(setting + ": " + what);
}

bool is_url(const std::string& s) { return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0; }

}  // namespace

json default_config_json() {
    config d;
    return json{
        {"listen", d.listen},
        {"public_url", d.public_url},
        {"database", d.database},
        {"web_root", d.web_root},
        {"data_dir", d.data_dir},
        {"io_threads", d.io_threads},
        {"session_ttl_hours", d.session_ttl_hours},
        {"http",
         {{"body_limit_bytes", d.http.body_limit_bytes},
          {"header_limit_bytes", d.http.header_limit_bytes},
          {"read_timeout_s", d.http.read_timeout_s},
          {"idle_timeout_s", d.http.idle_timeout_s},
          {"max_connections", d.http.max_connections},
          {"trusted_proxies", json::array()}}},
        {"storage",
         {{"read_threads", d.storage.read_threads},
          {"postgres_writers", d.storage.postgres_writers},
          {"max_batch", d.storage.max_batch},
          {"sqlite_synchronous", d.storage.sqlite_synchronous},
          {"busy_timeout_ms", d.storage.busy_timeout_ms}}},
        {"log", {{"level", d.log.level}, {"access_log", d.log.access_log}}},
        {"rate_limits",
         {{"login_per_minute_per_ip", d.rate_limits.login_per_minute_per_ip},
          {"login_per_hour_per_account", d.rate_limits.login_per_hour_per_account},
          {"registration_per_minute_per_ip", d.rate_limits.registration_per_minute_per_ip},
          {"registration_burst", d.rate_limits.registration_burst},
          {"checkin_per_minute_per_link", d.rate_limits.checkin_per_minute_per_link},
          {"public_per_minute_per_ip", d.rate_limits.public_per_minute_per_ip}}},
        {"email",
         {{"provider", d.email.provider},
          {"from", d.email.from},
          {"mail_dir", d.email.mail_dir},
          {"smtp_url", d.email.smtp_url},
          {"smtp_user", d.email.smtp_user},
          {"smtp_password", d.email.smtp_password},
          {"sendgrid_api_key", d.email.sendgrid_api_key},
          {"sendgrid_url", d.email.sendgrid_url},
          {"postmark_token", d.email.postmark_token},
          {"postmark_url", d.email.postmark_url},
          {"timeout_s", d.email.timeout_s},
          {"templates_dir", d.email.templates_dir},
          {"requests_per_second", d.email.requests_per_second}}},
        {"zoom",
         {{"account_id", d.zoom.account_id},
          {"client_id", d.zoom.client_id},
          {"client_secret", d.zoom.client_secret},
          {"user", d.zoom.user},
          {"webhook_secret", d.zoom.webhook_secret},
          {"api_url", d.zoom.api_url},
          {"oauth_url", d.zoom.oauth_url},
          {"requests_per_second", d.zoom.requests_per_second},
          {"timeout_s", d.zoom.timeout_s},
          {"max_concurrent", d.zoom.max_concurrent}}},
        {"outbox",
         {{"workers", d.outbox.workers},
          {"max_attempts", d.outbox.max_attempts},
          {"base_delay_s", d.outbox.base_delay_s},
          {"max_delay_s", d.outbox.max_delay_s},
          {"poll_interval_ms", d.outbox.poll_interval_ms},
          {"batch", d.outbox.batch},
          {"lease_s", d.outbox.lease_s},
          {"busy_writes", d.outbox.busy_writes},
          {"busy_pause_ms", d.outbox.busy_pause_ms}}},
        {"reminders", {{"before_minutes", d.reminders.before_minutes}, {"check_interval_s", d.reminders.check_interval_s}}},
        {"privacy", {{"retention_days", d.privacy.retention_days}}},
    };
}

std::vector<std::pair<std::string, std::string>> ensemble_environment() {
    std::vector<std::pair<std::string, std::string>> out;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        if (!kv.starts_with("ENSEMBLE_")) continue;
        auto eq = kv.find('=');
        if (eq == std::string_view::npos) continue;
        out.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    return out;
}

std::string config::listen_host() const {
    std::string host = listen.substr(0, listen.rfind(':'));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);  // [::1]:8080
    return host;
}
unsigned short config::listen_port() const {
    return static_cast<unsigned short>(std::stoi(listen.substr(listen.rfind(':') + 1)));
}

config load_config(const std::string& file, const std::vector<std::pair<std::string, std::string>>& environment) {
    json root = default_config_json();
    std::vector<std::string> leaves;
    collect_leaves(root, "", leaves);

    if (!file.empty()) {
        std::ifstream in(file);
        if (!in) throw config_error("config: cannot read " + file);
        json from_file = json::parse(in, nullptr, false, true);
        if (from_file.is_discarded() || !from_file.is_object()) throw config_error("config: " + file + " is not a JSON object");
        // "<name>_file" settings hold secrets in files readable only by the service user; keys
        // starting with '_' are comments.
        std::vector<std::string> file_leaves;
        collect_leaves(from_file, "", file_leaves);
        for (const auto& p : file_leaves) {
            if (p.find("/_") != std::string::npos) continue;
            const json& v = from_file.at(json::json_pointer(p));
            if (p.size() > 5 && p.ends_with("_file")) {
                std::string target = p.substr(0, p.size() - 5);
                if (std::find(leaves.begin(), leaves.end(), target) == leaves.end()) throw config_error(setting_name(p) + ": unknown setting");
                require(v.is_string(), setting_name(p), "must be a file path");
                root[json::json_pointer(target)] = read_secret_file(v.get<std::string>(), setting_name(p));
            } else if (std::find(leaves.begin(), leaves.end(), p) != leaves.end()) {
                root[json::json_pointer(p)] = v;
            } else {
                throw config_error(setting_name(p) + ": unknown setting");
            }
        }
    }

    for (const auto& [name, value] : environment) {
        std::string pointer;
        bool from_file = false;
        std::string key = name;
        if (key.size() > 5 && key.ends_with("_FILE")) {
            key = key.substr(0, key.size() - 5);
            from_file = true;
        }
        for (const auto& [alias, p] : aliases)
            if (key == alias) pointer = p;
        if (pointer.empty())
            for (const auto& leaf : leaves)
                if (env_name_of(leaf) == key) pointer = leaf;
        if (pointer.empty()) continue;
        const json& like = root.at(json::json_pointer(pointer));
        std::string text = from_file ? read_secret_file(value, name) : value;
        root[json::json_pointer(pointer)] = from_env(text, like, name + " (" + setting_name(pointer) + ")");
    }

    config c;
    take(root, "/listen", c.listen);
    take(root, "/public_url", c.public_url);
    take(root, "/database", c.database);
    take(root, "/web_root", c.web_root);
    take(root, "/data_dir", c.data_dir);
    take(root, "/io_threads", c.io_threads);
    take(root, "/session_ttl_hours", c.session_ttl_hours);
    take(root, "/http/body_limit_bytes", c.http.body_limit_bytes);
    take(root, "/http/header_limit_bytes", c.http.header_limit_bytes);
    take(root, "/http/read_timeout_s", c.http.read_timeout_s);
    take(root, "/http/idle_timeout_s", c.http.idle_timeout_s);
    take(root, "/http/max_connections", c.http.max_connections);
    take(root, "/http/trusted_proxies", c.http.trusted_proxies);
    take(root, "/storage/read_threads", c.storage.read_threads);
    take(root, "/storage/postgres_writers", c.storage.postgres_writers);
    take(root, "/storage/max_batch", c.storage.max_batch);
    take(root, "/storage/sqlite_synchronous", c.storage.sqlite_synchronous);
    take(root, "/storage/busy_timeout_ms", c.storage.busy_timeout_ms);
    take(root, "/log/level", c.log.level);
    take(root, "/log/access_log", c.log.access_log);
    take(root, "/rate_limits/login_per_minute_per_ip", c.rate_limits.login_per_minute_per_ip);
    take(root, "/rate_limits/login_per_hour_per_account", c.rate_limits.login_per_hour_per_account);
    take(root, "/rate_limits/registration_per_minute_per_ip", c.rate_limits.registration_per_minute_per_ip);
    take(root, "/rate_limits/registration_burst", c.rate_limits.registration_burst);
    take(root, "/rate_limits/checkin_per_minute_per_link", c.rate_limits.checkin_per_minute_per_link);
    take(root, "/rate_limits/public_per_minute_per_ip", c.rate_limits.public_per_minute_per_ip);
    take(root, "/email/provider", c.email.provider);
    take(root, "/email/from", c.email.from);
    take(root, "/email/mail_dir", c.email.mail_dir);
    take(root, "/email/smtp_url", c.email.smtp_url);
    take(root, "/email/smtp_user", c.email.smtp_user);
    take(root, "/email/smtp_password", c.email.smtp_password);
    take(root, "/email/sendgrid_api_key", c.email.sendgrid_api_key);
    take(root, "/email/sendgrid_url", c.email.sendgrid_url);
    take(root, "/email/postmark_token", c.email.postmark_token);
    take(root, "/email/postmark_url", c.email.postmark_url);
    take(root, "/email/timeout_s", c.email.timeout_s);
    take(root, "/email/templates_dir", c.email.templates_dir);
    take(root, "/email/requests_per_second", c.email.requests_per_second);
    take(root, "/zoom/account_id", c.zoom.account_id);
    take(root, "/zoom/client_id", c.zoom.client_id);
    take(root, "/zoom/client_secret", c.zoom.client_secret);
    take(root, "/zoom/user", c.zoom.user);
    take(root, "/zoom/webhook_secret", c.zoom.webhook_secret);
    take(root, "/zoom/api_url", c.zoom.api_url);
    take(root, "/zoom/oauth_url", c.zoom.oauth_url);
    take(root, "/zoom/requests_per_second", c.zoom.requests_per_second);
    take(root, "/zoom/timeout_s", c.zoom.timeout_s);
    take(root, "/zoom/max_concurrent", c.zoom.max_concurrent);
    take(root, "/outbox/workers", c.outbox.workers);
    take(root, "/outbox/max_attempts", c.outbox.max_attempts);
    take(root, "/outbox/base_delay_s", c.outbox.base_delay_s);
    take(root, "/outbox/max_delay_s", c.outbox.max_delay_s);
    take(root, "/outbox/poll_interval_ms", c.outbox.poll_interval_ms);
    take(root, "/outbox/batch", c.outbox.batch);
    take(root, "/outbox/lease_s", c.outbox.lease_s);
    take(root, "/outbox/busy_writes", c.outbox.busy_writes);
    take(root, "/outbox/busy_pause_ms", c.outbox.busy_pause_ms);
    take(root, "/reminders/before_minutes", c.reminders.before_minutes);
    take(root, "/reminders/check_interval_s", c.reminders.check_interval_s);
    take(root, "/privacy/retention_days", c.privacy.retention_days);

    auto colon = c.listen.rfind(':');
    require(colon != std::string::npos && colon > 0, "listen", "must be HOST:PORT, such as 127.0.0.1:8080");
    {
        std::string port = c.listen.substr(colon + 1);
        int p = 0;
        auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        require(ec == std::errc() && ptr == port.data() + port.size() && p >= 0 && p <= 65535, "listen",
                "the port must be a number from 0 to 65535");
    }
    require(is_url(c.public_url), "public_url", "must start with http:// or https://");
    while (c.public_url.size() > 8 && c.public_url.back() == '/') c.public_url.pop_back();
    require(c.database.rfind("sqlite:", 0) == 0 || c.database.rfind("postgresql://", 0) == 0 || c.database.rfind("postgres://", 0) == 0,
            "database", "must be sqlite:PATH or postgresql://USER:PASSWORD@HOST:PORT/DBNAME");
    require(c.io_threads >= 1 && c.io_threads <= 256, "io_threads", "must be between 1 and 256");
    require(c.session_ttl_hours >= 1 && c.session_ttl_hours <= 24 * 90, "session_ttl_hours", "must be between 1 and 2160");
    require(c.http.body_limit_bytes >= 1024 && c.http.body_limit_bytes <= 16 * 1024 * 1024, "http.body_limit_bytes", "must be between 1024 and 16777216");
    require(c.http.header_limit_bytes >= 1024 && c.http.header_limit_bytes <= 1024 * 1024, "http.header_limit_bytes", "must be between 1024 and 1048576");
    require(c.http.read_timeout_s >= 1 && c.http.read_timeout_s <= 3600, "http.read_timeout_s", "must be between 1 and 3600");
    require(c.http.idle_timeout_s >= 1 && c.http.idle_timeout_s <= 3600, "http.idle_timeout_s", "must be between 1 and 3600");
    require(c.http.max_connections >= 1, "http.max_connections", "must be at least 1");
    require(c.storage.read_threads >= 1 && c.storage.read_threads <= 64, "storage.read_threads", "must be between 1 and 64");
    require(c.storage.postgres_writers >= 1 && c.storage.postgres_writers <= 64, "storage.postgres_writers", "must be between 1 and 64");
    require(c.storage.max_batch >= 1 && c.storage.max_batch <= 10000, "storage.max_batch", "must be between 1 and 10000");
    require(c.storage.sqlite_synchronous == "full" || c.storage.sqlite_synchronous == "normal", "storage.sqlite_synchronous",
            "must be full or normal");
    require(c.storage.busy_timeout_ms >= 0, "storage.busy_timeout_ms", "must not be negative");
    const std::string levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    require(std::find(std::begin(levels), std::end(levels), c.log.level) != std::end(levels), "log.level",
            "must be trace, debug, info, warn, error, critical or off");
    require(!c.log.access_log.empty(), "log.access_log", "must be stdout, off or a file path");
    for (int v : {c.rate_limits.login_per_minute_per_ip, c.rate_limits.login_per_hour_per_account,
                  c.rate_limits.registration_per_minute_per_ip, c.rate_limits.checkin_per_minute_per_link,
                  c.rate_limits.public_per_minute_per_ip, c.rate_limits.registration_burst})
        require(v >= 0, "rate_limits", "limits must not be negative (0 turns a limit off)");
    const std::string providers[] = {"file", "smtp", "sendgrid", "postmark"};
    require(std::find(std::begin(providers), std::end(providers), c.email.provider) != std::end(providers), "email.provider",
            "must be file, smtp, sendgrid or postmark");
    require(!c.email.from.empty() && c.email.from.find('@') != std::string::npos, "email.from", "must be an email address");
    if (c.email.provider == "smtp")
        require(c.email.smtp_url.rfind("smtp://", 0) == 0 || c.email.smtp_url.rfind("smtps://", 0) == 0, "email.smtp_url",
                "must be smtp://HOST:PORT or smtps://HOST:PORT when the provider is smtp");
    if (c.email.provider == "sendgrid") require(!c.email.sendgrid_api_key.empty(), "email.sendgrid_api_key", "is required for sendgrid");
    if (c.email.provider == "postmark") require(!c.email.postmark_token.empty(), "email.postmark_token", "is required for postmark");
    require(is_url(c.email.sendgrid_url), "email.sendgrid_url", "must be an http(s) URL");
    require(is_url(c.email.postmark_url), "email.postmark_url", "must be an http(s) URL");
    require(c.email.timeout_s >= 1 && c.email.timeout_s <= 600, "email.timeout_s", "must be between 1 and 600");
    require(!c.email.templates_dir.empty(), "email.templates_dir", "must name the folder of the email templates");
    require(c.email.requests_per_second >= 0 && c.email.requests_per_second <= 10000, "email.requests_per_second",
            "must be between 0 (no pacing) and 10000");
    require(is_url(c.zoom.api_url), "zoom.api_url", "must be an http(s) URL");
    require(is_url(c.zoom.oauth_url), "zoom.oauth_url", "must be an http(s) URL");
    bool some_zoom = !c.zoom.account_id.empty() || !c.zoom.client_id.empty() || !c.zoom.client_secret.empty();
    require(!some_zoom || c.zoom.enabled(), "zoom", "account_id, client_id and client_secret must be set together");
    require(c.zoom.requests_per_second >= 1 && c.zoom.requests_per_second <= 1000, "zoom.requests_per_second", "must be between 1 and 1000");
    require(c.zoom.timeout_s >= 1 && c.zoom.timeout_s <= 600, "zoom.timeout_s", "must be between 1 and 600");
    require(c.zoom.max_concurrent >= 1 && c.zoom.max_concurrent <= 64, "zoom.max_concurrent", "must be between 1 and 64");
    require(c.outbox.workers >= 1 && c.outbox.workers <= 64, "outbox.workers", "must be between 1 and 64");
    require(c.outbox.max_attempts >= 1 && c.outbox.max_attempts <= 100, "outbox.max_attempts", "must be between 1 and 100");
    require(c.outbox.base_delay_s >= 1, "outbox.base_delay_s", "must be at least 1");
    require(c.outbox.max_delay_s >= c.outbox.base_delay_s, "outbox.max_delay_s", "must be at least outbox.base_delay_s");
    require(c.outbox.busy_writes >= 0 && c.outbox.busy_writes <= 100000, "outbox.busy_writes", "must be between 0 and 100000");
    require(c.outbox.busy_pause_ms >= 10 && c.outbox.busy_pause_ms <= 60000, "outbox.busy_pause_ms", "must be between 10 and 60000");
    require(c.outbox.poll_interval_ms >= 10 && c.outbox.poll_interval_ms <= 60000, "outbox.poll_interval_ms", "must be between 10 and 60000");
    require(c.outbox.batch >= 1 && c.outbox.batch <= 1000, "outbox.batch", "must be between 1 and 1000");
    require(c.outbox.lease_s >= 10, "outbox.lease_s", "must be at least 10");
    require(c.reminders.check_interval_s >= 1 && c.reminders.check_interval_s <= 3600, "reminders.check_interval_s",
            "must be between 1 and 3600");
    for (int m : c.reminders.before_minutes) require(m > 0 && m <= 60 * 24 * 60, "reminders.before_minutes", "must list minutes between 1 and 86400");
    require(c.privacy.retention_days >= 0 && c.privacy.retention_days <= 36500, "privacy.retention_days", "must be between 0 (off) and 36500");
    return c;
}

}  // namespace ensemble::server
