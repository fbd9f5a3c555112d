// Zoom REST calls and the OAuth token cache.
#include "integrations/zoom/zoom_client.hpp"
#include "integrations/json_text.hpp"


namespace ensemble::integrations {
namespace {

std::string url_encode(const std::string& s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// At most `n` characters of UTF-8 text (Zoom counts characters), never cutting one in half: a cut
// sequence would reach Zoom as U+FFFD.
std::string first_characters(const std::string& s, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t count = 0; i < s.size() && count < n; ++count) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    }
    return s.substr(0, i);
}

nlohmann::json session_body(const zoom_session& s, bool creating) {
    nlohmann::json b = {{"topic", first_characters(s.topic, 200)},
                        {"start_time", s.start_time_utc},
                        {"duration", s.duration_minutes},
                        {"timezone", s.timezone}};
    if (!s.agenda.empty()) b["agenda"] = first_characters(s.agenda, 2000);
    if (creating) {
        b["type"] = s.type == "webinar" ? 5 : 2;
        // Registration on, approved automatically; we send our own emails, Zoom sends none.
        b["settings"] = {{"approval_type", 0},
                         {"registration_type", 1},
                         {"registrants_email_notification", false},
                         {"registrants_confirmation_email", false}};
    }
    return b;
}

}  // namespace

std::string zoom_collection(const std::string& type) { return type == "webinar" ? "webinars" : "meetings"; }

zoom_client::zoom_client(zoom_settings s) : s_(std::move(s)), gate_(s_.requests_per_second) {}

delivery_outcome zoom_client::token(std::string& out) {
    std::lock_guard lock(token_mutex_);
    auto t = std::chrono::steady_clock::now();
    if (!token_.empty() && t + std::chrono::minutes(5) < token_expires_) {
        out = token_;
        return delivery_outcome::done();
    }
    http_call c;
    c.method = "POST";
    c.url = s_.oauth_url + "/oauth/token";
    c.basic_user = s_.client_id;
    c.basic_password = s_.client_secret;
    c.headers = {"Content-Type: application/x-www-form-urlencoded"};
    c.body = "grant_type=account_credentials&account_id=" + url_encode(s_.account_id);
    c.timeout = s_.timeout;
    gate_.wait();
    http_reply r = perform(c);
    auto outcome = outcome_of_http(r, "Zoom OAuth", core::now());
    if (outcome.what != delivery_outcome::kind::done) {
        // Wrong credentials can be corrected by the operator: keep retrying rather than giving up.
        if (outcome.what == delivery_outcome::kind::give_up) outcome.what = delivery_outcome::kind::retry;
        return outcome;
    }
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    std::string access = json_text(j, "access_token");
    if (access.empty()) return delivery_outcome::retry("Zoom OAuth: the answer carries no access_token");
    long long expires_in = j.is_object() && j.contains("expires_in") && j["expires_in"].is_number() ? j["expires_in"].get<long long>() : 3600;
    token_ = access;
    token_expires_ = t + std::chrono::seconds(expires_in);
    out = token_;
    return delivery_outcome::done();
}

http_reply zoom_client::call(const std::string& method, const std::string& path, const nlohmann::json* body, delivery_outcome& failed) {
    for (int round = 0; round < 2; ++round) {
        std::string access;
        auto got = token(access);
        if (got.what != delivery_outcome::kind::done) {
            failed = got;
            return {};
        }
        http_call c;
        c.method = method;
        c.url = s_.api_url + path;
        c.headers = {"Authorization: Bearer " + access, "Accept: application/json"};
        if (body) {
            c.headers.push_back("Content-Type: application/json");
            c.body = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        c.timeout = s_.timeout;
        gate_.wait();
        http_reply r = perform(c);
        if (r.status == 401 && round == 0) {
            std::lock_guard lock(token_mutex_);
            if (token_ == access) token_.clear();
            continue;
        }
        failed = delivery_outcome::done();
        return r;
    }
    failed = delivery_outcome::retry("Zoom: the access token was refused twice");
    return {};
}

delivery_outcome zoom_client::create(const zoom_session& s, zoom_created& out) {
    auto body = session_body(s, true);
    delivery_outcome failed;
    std::string path = "/users/" + url_encode(s_.user) + "/" + zoom_collection(s.type);
    http_reply r = call("POST", path, &body, failed);
    if (failed.what != delivery_outcome::kind::done) return failed;
    auto outcome = outcome_of_http(r, "Zoom create " + s.type, core::now());
    if (outcome.what != delivery_outcome::kind::done) return outcome;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    out.id = json_text(j, "id");
    out.join_url = json_text(j, "join_url");
    if (out.id.empty()) return delivery_outcome::retry("Zoom create " + s.type + ": the answer carries no id");
    return delivery_outcome::done();
}

delivery_outcome zoom_client::update(const std::string& type, const std::string& id, const zoom_session& s) {
    auto body = session_body(s, false);
    delivery_outcome failed;
    http_reply r = call("PATCH", "/" + zoom_collection(type) + "/" + url_encode(id), &body, failed);
    if (failed.what != delivery_outcome::kind::done) return failed;
    return outcome_of_http(r, "Zoom update " + type, core::now());
}

delivery_outcome zoom_client::remove(const std::string& type, const std::string& id) {
    delivery_outcome failed;
    http_reply r = call("DELETE", "/" + zoom_collection(type) + "/" + url_encode(id), nullptr, failed);
    if (failed.what != delivery_outcome::kind::done) return failed;
    if (r.status == 404) return delivery_outcome::done();
    return outcome_of_http(r, "Zoom delete " + type, core::now());
}

delivery_outcome zoom_client::add_registrant(const std::string& type, const std::string& id, const std::string& email,
                                             const std::string& first_name, const std::string& last_name, const std::string& language,
                                             zoom_registrant& out) {
    nlohmann::json body = {{"email", email}, {"first_name", first_characters(first_name, 64)}};
    if (!last_name.empty()) body["last_name"] = first_characters(last_name, 64);
    body["language"] = language == "fr" ? "fr-FR" : "en-US";
    if (type != "webinar") body["auto_approve"] = true;
    delivery_outcome failed;
    http_reply r = call("POST", "/" + zoom_collection(type) + "/" + url_encode(id) + "/registrants", &body, failed);
    if (failed.what != delivery_outcome::kind::done) return failed;
    auto outcome = outcome_of_http(r, "Zoom add registrant", core::now());
    if (outcome.what != delivery_outcome::kind::done) return outcome;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    out.registrant_id = json_text(j, "registrant_id");
    out.join_url = json_text(j, "join_url");
    if (out.registrant_id.empty()) return delivery_outcome::retry("Zoom add registrant: the answer carries no registrant_id");
    return delivery_outcome::done();
}

delivery_outcome zoom_client::cancel_registrant(const std::string& type, const std::string& id, const std::string& registrant_id,
                                                const std::string& email) {
    nlohmann::json who = {{"email", email}};
    if (!registrant_id.empty()) who["id"] = registrant_id;
    nlohmann::json body = {{"action", "cancel"}, {"registrants", nlohmann::json::array({who})}};
    delivery_outcome failed;
    http_reply r = call("PUT", "/" + zoom_collection(type) + "/" + url_encode(id) + "/registrants/status", &body, failed);
    if (failed.what != delivery_outcome::kind::done) return failed;
    if (r.status == 404) return delivery_outcome::done();
    return outcome_of_http(r, "Zoom cancel registrant", core::now());
}

}  // namespace ensemble::integrations
