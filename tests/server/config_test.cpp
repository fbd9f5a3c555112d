// Settings: defaults, the JSON file, ENSEMBLE_* overrides and aliases, secrets in files, and errors that name the setting.
#include "server/config.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using ensemble::server::config_error;
using ensemble::server::load_config;
using env_list = std::vector<std::pair<std::string, std::string>>;

namespace {

struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string tmpl = (fs::temp_directory_path() / "ensemble-config-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

// The message of the config_error that loading throws; fails the test when nothing is thrown.
std::string error_of(const std::string& file, const env_list& env) {
    try {
        load_config(file, env);
    } catch (const config_error& e) {
        return e.what();
    }
    BOOST_FAIL("expected a config_error");
    return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_run_a_local_system) {
    auto c = load_config("", {});
    BOOST_TEST(c.listen == "127.0.0.1:8080");
    BOOST_TEST(c.listen_host() == "127.0.0.1");
    BOOST_TEST(c.listen_port() == 8080);
    BOOST_TEST(c.database == "sqlite:data/ensemble.db");
    BOOST_TEST(c.public_url == "http://127.0.0.1:8080");
    BOOST_TEST(c.email.provider == "file");
    BOOST_TEST(c.email.mail_dir == "data/mail");
    BOOST_TEST(!c.zoom.enabled());
    BOOST_TEST(c.zoom.user == "me");
    BOOST_TEST(c.http.body_limit_bytes == 64u * 1024u);
    BOOST_TEST(!c.secure_cookies());
    BOOST_TEST(c.reminders.before_minutes == (std::vector<int>{1440, 60}));
    // The documented defaults are the struct's defaults.
    auto d = ensemble::server::default_config_json();
    BOOST_TEST(d["listen"] == c.listen);
    BOOST_TEST(d["email"]["provider"] == c.email.provider);
}

BOOST_AUTO_TEST_CASE(listen_addresses) {
    auto c = load_config("", {{"ENSEMBLE_LISTEN", "[::1]:8443"}});
    BOOST_TEST(c.listen_host() == "::1");  // brackets are URL syntax, not part of the address
    BOOST_TEST(c.listen_port() == 8443);
    c = load_config("", {{"ENSEMBLE_LISTEN", "0.0.0.0:0"}});
    BOOST_TEST(c.listen_host() == "0.0.0.0");
    BOOST_TEST(c.listen_port() == 0);
}

BOOST_AUTO_TEST_CASE(the_file_overrides_defaults_and_comments_are_ignored) {
    temp_dir t;
    auto file = t.write("ensemble.json", R"({
      "_comment": "example",
      "listen": "0.0.0.0:9090",
      "public_url": "https://events.example.org/",
      "database": "postgresql://ensemble:pw@db:5432/ensemble",
      "http": {"read_timeout_s": 5, "trusted_proxies": ["10.0.0.0/8"], "_note": "behind nginx"},
      "email": {"provider": "smtp", "smtp_url": "smtp://127.0.0.1:2525"},
      "reminders": {"before_minutes": [2880, 30]}
    })");
    auto c = load_config(file, {});
    BOOST_TEST(c.listen_port() == 9090);
    BOOST_TEST(c.listen_host() == "0.0.0.0");
    BOOST_TEST(c.public_url == "https://events.example.org");  // trailing slash dropped
    BOOST_TEST(c.secure_cookies());
    BOOST_TEST(c.database == "postgresql://ensemble:pw@db:5432/ensemble");
    BOOST_TEST(c.http.read_timeout_s == 5);
    BOOST_TEST(c.http.idle_timeout_s == 60);  // untouched settings keep their defaults
    BOOST_TEST(c.http.trusted_proxies == std::vector<std::string>{"10.0.0.0/8"});
    BOOST_TEST(c.email.smtp_url == "smtp://127.0.0.1:2525");
    BOOST_TEST(c.reminders.before_minutes == (std::vector<int>{2880, 30}));
}

BOOST_AUTO_TEST_CASE(environment_overrides_the_file) {
    temp_dir t;
    auto file = t.write("ensemble.json", R"({"listen": "0.0.0.0:9090", "database": "sqlite:file.db", "http": {"read_timeout_s": 5}})");
    auto c = load_config(file, {{"ENSEMBLE_LISTEN", "127.0.0.1:7070"},
                                {"ENSEMBLE_DATABASE", "sqlite:/tmp/env.db"},
                                {"ENSEMBLE_HTTP_READ_TIMEOUT_S", "9"},
                                {"ENSEMBLE_PUBLIC_URL", "https://summit.example.ca"},
                                {"ENSEMBLE_EMAIL_PROVIDER", "postmark"},
                                {"ENSEMBLE_POSTMARK_TOKEN", "pm-token"},
                                {"ENSEMBLE_POSTMARK_URL", "http://127.0.0.1:9999"},
                                {"ENSEMBLE_REMINDERS_BEFORE_MINUTES", "1440,15"},
                                {"ENSEMBLE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.1"},
                                {"ENSEMBLE_UNRELATED_THING", "ignored"},
                                {"ENSEMBLE_TEST_PG_URL", "postgresql://x@y/z"}});
    BOOST_TEST(c.listen == "127.0.0.1:7070");
    BOOST_TEST(c.database == "sqlite:/tmp/env.db");
    BOOST_TEST(c.http.read_timeout_s == 9);
    BOOST_TEST(c.public_url == "https://summit.example.ca");
    BOOST_TEST(c.email.provider == "postmark");
    BOOST_TEST(c.email.postmark_token == "pm-token");
    BOOST_TEST(c.email.postmark_url == "http://127.0.0.1:9999");
    BOOST_TEST(c.reminders.before_minutes == (std::vector<int>{1440, 15}));
    BOOST_TEST((c.http.trusted_proxies == std::vector<std::string>{"10.0.0.0/8", "127.0.0.1"}));
}

BOOST_AUTO_TEST_CASE(api_md_variable_names_reach_their_settings) {
    auto c = load_config("", {{"ENSEMBLE_MAIL_FROM", "Summit <summit@example.org>"},
                              {"ENSEMBLE_MAIL_DIR", "/var/mail/ensemble"},
                              {"ENSEMBLE_SMTP_URL", "smtps://mail.example.org:465"},
                              {"ENSEMBLE_SMTP_USER", "mailer"},
                              {"ENSEMBLE_SMTP_PASSWORD", "smtp-pw"},
                              {"ENSEMBLE_SENDGRID_API_KEY", "sg-key"},
                              {"ENSEMBLE_SENDGRID_URL", "http://127.0.0.1:8025"},
                              {"ENSEMBLE_ZOOM_ACCOUNT_ID", "acc"},
                              {"ENSEMBLE_ZOOM_CLIENT_ID", "cid"},
                              {"ENSEMBLE_ZOOM_CLIENT_SECRET", "csecret"},
                              {"ENSEMBLE_ZOOM_USER", "host@example.org"},
                              {"ENSEMBLE_ZOOM_WEBHOOK_SECRET", "whsec"},
                              {"ENSEMBLE_ZOOM_API_URL", "http://127.0.0.1:7001/v2"},
                              {"ENSEMBLE_ZOOM_OAUTH_URL", "http://127.0.0.1:7001"},
                              {"ENSEMBLE_EMAIL_PROVIDER", "smtp"}});
    BOOST_TEST(c.email.from == "Summit <summit@example.org>");
    BOOST_TEST(c.email.mail_dir == "/var/mail/ensemble");
    BOOST_TEST(c.email.smtp_url == "smtps://mail.example.org:465");
    BOOST_TEST(c.email.smtp_user == "mailer");
    BOOST_TEST(c.email.smtp_password == "smtp-pw");
    BOOST_TEST(c.email.sendgrid_api_key == "sg-key");
    BOOST_TEST(c.email.sendgrid_url == "http://127.0.0.1:8025");
    BOOST_TEST(c.zoom.enabled());
    BOOST_TEST(c.zoom.client_secret == "csecret");
    BOOST_TEST(c.zoom.user == "host@example.org");
    BOOST_TEST(c.zoom.webhook_secret == "whsec");
    BOOST_TEST(c.zoom.api_url == "http://127.0.0.1:7001/v2");
    BOOST_TEST(c.zoom.oauth_url == "http://127.0.0.1:7001");
    // The settings' own names work too.
    BOOST_TEST(load_config("", {{"ENSEMBLE_EMAIL_FROM", "a@b.co"}}).email.from == "a@b.co");
}

BOOST_AUTO_TEST_CASE(secrets_can_come_from_files) {
    temp_dir t;
    auto secret = t.write("zoom-secret", "from-a-file\n");
    auto smtp = t.write("smtp-password", "pw-in-file\r\n");
    auto c = load_config("", {{"ENSEMBLE_ZOOM_ACCOUNT_ID", "a"},
                              {"ENSEMBLE_ZOOM_CLIENT_ID", "b"},
                              {"ENSEMBLE_ZOOM_CLIENT_SECRET_FILE", secret},
                              {"ENSEMBLE_SMTP_PASSWORD_FILE", smtp}});
    BOOST_TEST(c.zoom.client_secret == "from-a-file");
    BOOST_TEST(c.email.smtp_password == "pw-in-file");

    auto file = t.write("ensemble.json", R"({"zoom": {"account_id": "a", "client_id": "b", "client_secret_file": ")" + secret + R"("}})");
    BOOST_TEST(load_config(file, {}).zoom.client_secret == "from-a-file");
}

BOOST_AUTO_TEST_CASE(bad_values_name_the_setting) {
    temp_dir t;
    struct file_case {
        const char* json;
        const char* setting;
    };
    for (auto [json, setting] : {file_case{R"({"http": {"read_timeout_s": "fast"}})", "http.read_timeout_s"},
                                 file_case{R"({"http": {"read_timeout_s": 0}})", "http.read_timeout_s"},
                                 file_case{R"({"http": {"body_limit_bytes": 10}})", "http.body_limit_bytes"},
                                 file_case{R"({"listen": 8080})", "listen"},
                                 file_case{R"({"listen": "localhost"})", "listen"},
                                 file_case{R"({"listen": "127.0.0.1:99999"})", "listen"},
                                 file_case{R"({"public_url": "events.example.org"})", "public_url"},
                                 file_case{R"({"database": "mysql://db/ensemble"})", "database"},
                                 file_case{R"({"io_threads": 0})", "io_threads"},
                                 file_case{R"({"email": {"provider": "pigeon"}})", "email.provider"},
                                 file_case{R"({"email": {"provider": "smtp"}})", "email.smtp_url"},
                                 file_case{R"({"email": {"provider": "sendgrid"}})", "email.sendgrid_api_key"},
                                 file_case{R"({"email": {"provider": "postmark"}})", "email.postmark_token"},
                                 file_case{R"({"email": {"from": "nobody"}})", "email.from"},
                                 file_case{R"({"zoom": {"account_id": "only-this"}})", "zoom"},
                                 file_case{R"({"zoom": {"api_url": "zoom.us"}})", "zoom.api_url"},
                                 file_case{R"({"log": {"level": "loud"}})", "log.level"},
                                 file_case{R"({"storage": {"sqlite_synchronous": "off"}})", "storage.sqlite_synchronous"},
                                 file_case{R"({"storage": {"read_threads": 0}})", "storage.read_threads"},
                                 file_case{R"({"outbox": {"max_delay_s": 1}})", "outbox.max_delay_s"},
                                 file_case{R"({"reminders": {"before_minutes": [0]}})", "reminders.before_minutes"},
                                 file_case{R"({"rate_limits": {"login_per_minute_per_ip": -1}})", "rate_limits"},
                                 file_case{R"({"privacy": {"retention_days": -1}})", "privacy.retention_days"},
                                 file_case{R"({"htp": {"read_timeout_s": 5}})", "htp.read_timeout_s"},
                                 file_case{R"({"zoom": {"nope_file": "/x"}})", "zoom.nope_file"},
                                 file_case{R"({"zoom": {"client_secret_file": "/nonexistent/secret"}})", "zoom.client_secret_file"}}) {
        std::string message = error_of(t.write("bad.json", json), {});
        BOOST_TEST(message.rfind(std::string(setting) + ":", 0) == 0u, json << " -> " << message);
    }
}

BOOST_AUTO_TEST_CASE(bad_environment_values_name_the_variable_and_setting) {
    std::string m = error_of("", {{"ENSEMBLE_HTTP_READ_TIMEOUT_S", "abc"}});
    BOOST_TEST(m.find("ENSEMBLE_HTTP_READ_TIMEOUT_S") != std::string::npos, m);
    BOOST_TEST(m.find("http.read_timeout_s") != std::string::npos, m);
    m = error_of("", {{"ENSEMBLE_IO_THREADS", "12abc"}});
    BOOST_TEST(m.find("ENSEMBLE_IO_THREADS") != std::string::npos, m);
    m = error_of("", {{"ENSEMBLE_REMINDERS_BEFORE_MINUTES", "60,soon"}});
    BOOST_TEST(m.find("ENSEMBLE_REMINDERS_BEFORE_MINUTES") != std::string::npos, m);
    m = error_of("", {{"ENSEMBLE_IO_THREADS", "0"}});
    BOOST_TEST(m.rfind("io_threads:", 0) == 0u, m);
    m = error_of("", {{"ENSEMBLE_LISTEN", "nowhere"}});
    BOOST_TEST(m.rfind("listen:", 0) == 0u, m);
    m = error_of("", {{"ENSEMBLE_DATABASE", "oracle://db"}});
    BOOST_TEST(m.rfind("database:", 0) == 0u, m);
    m = error_of("", {{"ENSEMBLE_ZOOM_CLIENT_SECRET_FILE", "/nonexistent/secret"}});
    BOOST_TEST(m.find("ENSEMBLE_ZOOM_CLIENT_SECRET_FILE") != std::string::npos, m);
}

BOOST_AUTO_TEST_CASE(unreadable_or_malformed_files) {
    temp_dir t;
    std::string m = error_of((t.path / "missing.json").string(), {});
    BOOST_TEST(m.find("cannot read") != std::string::npos, m);
    m = error_of(t.write("broken.json", "{\"listen\": "), {});
    BOOST_TEST(m.find("not a JSON object") != std::string::npos, m);
    m = error_of(t.write("array.json", "[1, 2]"), {});
    BOOST_TEST(m.find("not a JSON object") != std::string::npos, m);
}

BOOST_AUTO_TEST_SUITE_END()
