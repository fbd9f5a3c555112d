// The access log writer: requests append under a short lock; a thread writes every 200 ms.
#include "server/access_log.hpp"

#include "core/domain/thread.hpp"
#include "core/domain/time.hpp"
#include "core/text/json_text.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace ensemble::server {

access_log::access_log(const std::string& where) {
    if (where == "off") return;
    if (where == "stdout") {
        out_ = stdout;
    } else {
        out_ = std::fopen(where.c_str(), "a");
        if (out_ == nullptr) throw std::runtime_error("log.access_log: cannot open " + where);
        own_ = true;
    }
    thread_ = std::thread([this] {
        core::name_this_thread("ens-access-log");
        run();
    });
}

access_log::~access_log() {
    if (out_ == nullptr) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    if (own_) std::fclose(out_);
}

void access_log::write(const access_entry& e) {
    if (out_ == nullptr) return;
    std::string line;
    line.reserve(256);
    line += "{\"ts\":\"";
    line += core::format_utc(core::now());
    line += "\",\"method\":\"";
    core::append_json_escaped(line, e.method);
    line += "\",\"path\":\"";
    core::append_json_escaped(line, e.target.substr(0, 512));
    line += "\",\"route\":\"";
    core::append_json_escaped(line, e.route);
    line += "\",\"status\":";
    line += std::to_string(e.status);
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", e.millis);
    line += ",\"ms\":";
    line += ms;
    line += ",\"bytes\":";
    line += std::to_string(e.bytes);
    line += ",\"client\":\"";
    core::append_json_escaped(line, e.client);
    line += "\",\"ua\":\"";
    core::append_json_escaped(line, e.user_agent.substr(0, 200));
    line += "\"}\n";
    std::lock_guard lock(mutex_);
    pending_ += line;
}

void access_log::flush() {
    std::string batch;
    {
        std::lock_guard lock(mutex_);
        batch.swap(pending_);
    }
    if (!batch.empty()) {
        std::fwrite(batch.data(), 1, batch.size(), out_);
        std::fflush(out_);
    }
}

void access_log::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::milliseconds(200));
        lock.unlock();
        flush();
        lock.lock();
    }
    lock.unlock();
    flush();
}

}  // namespace ensemble::server
