// One JSON line per request, buffered and written by a background thread.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace ensemble::server {

struct access_entry {
    std::string_view method;
    std::string_view target;  // path only: query strings may hold secrets
    std::string_view route;
    int status = 0;
    double millis = 0;
    std::size_t bytes = 0;
    std::string_view client;
    std::string_view user_agent;
};

class access_log {
public:
    // `where`: "stdout", "off" or a file path (appended to).
    explicit access_log(const std::string& where);
    ~access_log();
    access_log(const access_log&) = delete;
    access_log& operator=(const access_log&) = delete;

    void write(const access_entry& e);
    void flush();

private:
    void run();

    std::FILE* out_ = nullptr;
    bool own_ = false;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::string pending_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ensemble::server
