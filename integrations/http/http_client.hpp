// Blocking HTTP(S) calls with libcurl for the outbound worker threads: one easy handle per thread.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace ensemble::integrations {

struct http_call {
    std::string method = "GET";  // GET | POST | PUT | PATCH | DELETE
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;
    std::chrono::seconds timeout{20};
    std::chrono::seconds connect_timeout{10};
    std::string basic_user;  // HTTP Basic credentials when not empty
    std::string basic_password;
};

struct http_reply {
    long status = 0;  // 0 when no answer came (see error)
    std::string body;
    std::map<std::string, std::string> headers;  // names in lower case; the last value wins
    std::string error;  // transport failure (refused, timed out, TLS); empty when an answer came

    bool answered() const noexcept { return error.empty() && status != 0; }
    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// Initialises libcurl once for the process; call from the main thread before any worker starts.
void init_curl();

// Performs the call on the calling thread's own easy handle (kept for connection reuse, never
// shared between threads). TLS peers and host names are always verified; only http and https are
// followed; redirects are not. Never throws for network failures: they come back in `error`.
http_reply perform(const http_call& call);

}  // namespace ensemble::integrations
