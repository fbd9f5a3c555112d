// libcurl easy handles, one per thread, reset between calls so that connections are reused.
#include "integrations/http/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace ensemble::integrations {
namespace {

struct easy_deleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};

CURL* thread_handle() {
    thread_local std::unique_ptr<CURL, easy_deleter> handle(curl_easy_init());
    if (!handle) throw std::runtime_error("libcurl: cannot create a handle");
    return handle.get();
}

size_t collect_body(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

size_t collect_header(char* data, size_t size, size_t n, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    std::string line(data, size * n);
    auto colon = line.find(':');
    if (colon == std::string::npos) {
        if (line.rfind("HTTP/", 0) == 0) headers->clear();  // a new response (after 100 Continue)
        return size * n;
    }
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    (*headers)[name] = value;
    return size * n;
}

struct slist {
    curl_slist* list = nullptr;
    ~slist() { curl_slist_free_all(list); }
    void add(const std::string& s) {
        curl_slist* next = curl_slist_append(list, s.c_str());
        if (!next) throw std::bad_alloc();
        list = next;
    }
};

}  // namespace

void init_curl() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl: global initialisation failed");
    });
}

http_reply perform(const http_call& call) {
    init_curl();
    CURL* h = thread_handle();
    curl_easy_reset(h);
    http_reply reply;
    slist headers;
    for (const auto& line : call.headers) headers.add(line);
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT" || call.method == "PATCH") headers.add("Expect:");

    curl_easy_setopt(h, CURLOPT_URL, call.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::chrono::milliseconds(call.timeout).count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::chrono::milliseconds(call.connect_timeout).count()));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Ensemble/0.1");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &reply.headers);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
    if (!call.basic_user.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, call.basic_user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, call.basic_password.c_str());
    }
    if (call.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.method.c_str());
        if (call.method != "DELETE" || !call.body.empty()) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, call.body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
        }
    }
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        reply.status = 0;
        reply.error = error[0] ? error : curl_easy_strerror(rc);
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
    }
    // The handle keeps pointers to this call's locals: forget them (the connection stays for reuse).
    curl_easy_reset(h);
    return reply;
}

}  // namespace ensemble::integrations
