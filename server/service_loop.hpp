// Background work of a running server: housekeeping on a timer (expired sessions, old idempotency keys).
#pragma once

#include "server/app.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ensemble::server {

class service_loop {
public:
    explicit service_loop(app& a);
    ~service_loop();
    void start();
    void stop();

private:
    void run();
    void housekeeping();

    app& a_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ensemble::server
