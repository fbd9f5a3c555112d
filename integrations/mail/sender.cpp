// The four email providers.
#include "integrations/mail/sender.hpp"

#include "core/security/crypto.hpp"
#include "integrations/http/http_client.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ensemble::integrations {
namespace {

namespace fs = std::filesystem;

std::string host_of(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto at = url.find('@', start);
    auto slash = url.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) start = at + 1;
    if (start < url.size() && url[start] == '[') {
        auto close = url.find(']', start);
        return url.substr(start + 1, close == std::string::npos ? std::string::npos : close - start - 1);
    }
    auto end = url.find_first_of(":/?", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool is_loopback(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    if (host.rfind("127.", 0) != 0) return false;
    return host.find_first_not_of("0123456789.") == std::string::npos && std::count(host.begin(), host.end(), '.') == 3;
}

// Writes each message to <mail_dir>/<message id>.eml: a resend of a row overwrites its own file.
class file_sender final : public mail_sender {
public:
    explicit file_sender(fs::path dir) : dir_(std::move(dir)) {}
    const char* name() const noexcept override { return "file"; }
    delivery_outcome send(const email_message& m) override {
        std::error_code ec;
        fs::create_directories(dir_, ec);
        if (ec) return delivery_outcome::retry("file: cannot create " + dir_.string() + ": " + ec.message());
        std::string stem;
        for (char c : m.message_id)
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '@' || c == '_') stem += c;
        fs::path target = dir_ / (stem + ".eml");
        fs::path temp = dir_ / ("." + stem + ".tmp" + std::to_string(counter_++));
        {
            std::ofstream out(temp, std::ios::binary | std::ios::trunc);
            std::string text = build_mime(m);
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            out.flush();
            if (!out) {
                fs::remove(temp, ec);
                return delivery_outcome::retry("file: cannot write " + temp.string());
            }
        }
        fs::rename(temp, target, ec);
        if (ec) return delivery_outcome::retry("file: cannot rename to " + target.string() + ": " + ec.message());
        return delivery_outcome::done();
    }

private:
    fs::path dir_;
    std::atomic<unsigned long long> counter_{0};
};

struct upload_source {
    const std::string* text;
    std::size_t pos = 0;
};

size_t read_upload(char* buffer, size_t size, size_t n, void* user) {
    auto* src = static_cast<upload_source*>(user);
    std::size_t room = size * n;
    std::size_t left = src->text->size() - src->pos;
    std::size_t take = std::min(room, left);
    std::memcpy(buffer, src->text->data() + src->pos, take);
    src->pos += take;
    return take;
}

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

class smtp_sender final : public mail_sender {
public:
    explicit smtp_sender(const mail_settings& s) : s_(s), target_(smtp_target_of(s.smtp_url)) {}
    const char* name() const noexcept override { return "smtp"; }

    delivery_outcome send(const email_message& m) override {
        init_curl();
        // One handle per thread and sender: it keeps its SMTP connection for the next message.
        thread_local std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), &curl_easy_cleanup);
        CURL* h = handle.get();
        if (!h) return delivery_outcome::retry("smtp: cannot create a libcurl handle");
        curl_easy_reset(h);
        std::string text = build_mime(m);
        upload_source src{&text, 0};
        std::string from = "<" + m.from.email + ">";
        curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to.email + ">").c_str());
        curl_easy_setopt(h, CURLOPT_URL, target_.url.c_str());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_USE_SSL, target_.tls == smtp_tls::optional ? static_cast<long>(CURLUSESSL_TRY)
                                                                                : static_cast<long>(CURLUSESSL_ALL));
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!s_.smtp_user.empty()) {
            curl_easy_setopt(h, CURLOPT_USERNAME, s_.smtp_user.c_str());
            curl_easy_setopt(h, CURLOPT_PASSWORD, s_.smtp_password.c_str());
        }
        curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
        curl_easy_setopt(h, CURLOPT_READDATA, &src);
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::chrono::milliseconds(s_.timeout).count()));
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
        char error[CURL_ERROR_SIZE] = {0};
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
        CURLcode rc = curl_easy_perform(h);
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_reset(h);  // forgets this call's locals; the SMTP connection stays open for the next message
        curl_slist_free_all(rcpt);
        if (rc == CURLE_OK) return delivery_outcome::done();
        std::string why = std::string("smtp: ") + (error[0] ? error : curl_easy_strerror(rc));
        if (code != 0) why += " (server said " + std::to_string(code) + ")";
        if (rc == CURLE_USE_SSL_FAILED) why += "; the server does not offer STARTTLS";
        // 5xx after the envelope is a permanent refusal (unknown mailbox, rejected content).
        if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED) return delivery_outcome::give_up(why);
        return delivery_outcome::retry(why);
    }

private:
    mail_settings s_;
    smtp_target target_;
};

class sendgrid_sender final : public mail_sender {
public:
    explicit sendgrid_sender(const mail_settings& s) : s_(s) {}
    const char* name() const noexcept override { return "sendgrid"; }
    delivery_outcome send(const email_message& m) override {
        http_call call;
        call.method = "POST";
        call.url = s_.sendgrid_url + "/v3/mail/send";
        call.headers = {"Authorization: Bearer " + s_.sendgrid_api_key, "Content-Type: application/json"};
        call.body = sendgrid_body(m);
        call.timeout = s_.timeout;
        return outcome_of_http(perform(call), "SendGrid", core::now());
    }

private:
    mail_settings s_;
};

class postmark_sender final : public mail_sender {
public:
    explicit postmark_sender(const mail_settings& s) : s_(s) {}
    const char* name() const noexcept override { return "postmark"; }
    delivery_outcome send(const email_message& m) override {
        http_call call;
        call.method = "POST";
        call.url = s_.postmark_url + "/email";
        call.headers = {"X-Postmark-Server-Token: " + s_.postmark_token, "Content-Type: application/json", "Accept: application/json"};
        call.body = postmark_body(m);
        call.timeout = s_.timeout;
        http_reply r = perform(call);
        if (r.status == 422) {
            // Postmark's API errors (inactive recipient, invalid address) do not improve with time.
            return delivery_outcome::give_up("Postmark: HTTP 422 " + body_excerpt(r.body));
        }
        return outcome_of_http(r, "Postmark", core::now());
    }

private:
    mail_settings s_;
};

std::string plain_address(const mail_address& a) {
    // Postmark takes RFC 5322 mailboxes; names with non-ASCII text are encoded as in a header.
    return format_address(a);
}

}  // namespace

smtp_target smtp_target_of(const std::string& url) {
    smtp_target t;
    t.url = url;
    bool plain_allowed = false;
    auto q = t.url.find("?tls=off");
    if (q != std::string::npos) {
        t.url.erase(q);
        plain_allowed = true;
    }
    if (t.url.rfind("smtps://", 0) == 0) t.tls = smtp_tls::implicit;
    else if (plain_allowed || is_loopback(host_of(t.url))) t.tls = smtp_tls::optional;
    else t.tls = smtp_tls::required;
    return t;
}

std::string sendgrid_body(const email_message& m) {
    nlohmann::json to = {{"email", m.to.email}};
    if (!m.to.name.empty()) to["name"] = m.to.name;
    nlohmann::json from = {{"email", m.from.email}};
    if (!m.from.name.empty()) from["name"] = m.from.name;
    nlohmann::json body = {{"personalizations", nlohmann::json::array({{{"to", nlohmann::json::array({to})}}})},
                           {"from", from},
                           {"subject", m.subject},
                           {"content", nlohmann::json::array({{{"type", "text/plain"}, {"value", m.text}},
                                                              {{"type", "text/html"}, {"value", m.html}}})},
                           {"headers", {{"Message-ID", m.message_id}}}};
    for (const auto& [name, value] : m.extra_headers) body["headers"][name] = value;
    if (!m.attachments.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& a : m.attachments)
            list.push_back({{"content", core::base64(a.data)},
                            {"type", a.content_type.substr(0, a.content_type.find(';'))},
                            {"filename", a.filename},
                            {"disposition", "attachment"}});
        body["attachments"] = list;
    }
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string postmark_body(const email_message& m) {
    nlohmann::json headers = nlohmann::json::array({{{"Name", "Message-ID"}, {"Value", m.message_id}}});
    for (const auto& [name, value] : m.extra_headers) headers.push_back({{"Name", name}, {"Value", value}});
    nlohmann::json body = {{"From", plain_address(m.from)},
                           {"To", plain_address(m.to)},
                           {"Subject", m.subject},
                           {"TextBody", m.text},
                           {"HtmlBody", m.html},
                           {"MessageStream", "outbound"},
                           {"Headers", headers}};
    if (!m.attachments.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& a : m.attachments)
            list.push_back({{"Name", a.filename}, {"Content", core::base64(a.data)}, {"ContentType", a.content_type}});
        body["Attachments"] = list;
    }
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::unique_ptr<mail_sender> make_mail_sender(const mail_settings& s) {
    if (s.provider == "file") return std::make_unique<file_sender>(s.mail_dir);
    if (s.provider == "smtp") return std::make_unique<smtp_sender>(s);
    if (s.provider == "sendgrid") return std::make_unique<sendgrid_sender>(s);
    if (s.provider == "postmark") return std::make_unique<postmark_sender>(s);
    throw std::invalid_argument("email.provider: unknown provider " + s.provider);
}

}  // namespace ensemble::integrations
