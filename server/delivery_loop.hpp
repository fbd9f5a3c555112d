// The running server's delivery: the outbox dispatcher (email and Zoom lanes) and the reminder planner.
#pragma once

#include "integrations/delivery/dispatcher.hpp"
#include "server/app.hpp"

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

namespace ensemble::server {

class delivery_loop {
public:
    // Builds the providers from the settings and loads the email templates; throws
    // std::runtime_error naming the problem (templates folder missing, bad template). Sets
    // app.wake_outbox, so construct it before the HTTP server starts.
    explicit delivery_loop(app& a);
    ~delivery_loop();
    void start();
    void stop();

private:
    void plan_loop();

    app& a_;
    std::unique_ptr<integrations::outbox_dispatcher> dispatcher_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread planner_;
};

// The email templates folder: the setting as given when it exists (absolute, or relative to the
// working directory), else the same relative path from the source tree that holds the binary
// (build/bin/ensemble -> ../../), so the server finds its templates wherever it is started.
std::filesystem::path locate_templates(const std::string& setting);

}  // namespace ensemble::server
