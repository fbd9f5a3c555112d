// A shared pacing gate: at most N calls per second across threads (a token bucket of size N).
#pragma once

#include <chrono>
#include <mutex>

namespace ensemble::integrations {

class rate_gate {
public:
    // `per_second` <= 0 lets every call through.
    explicit rate_gate(double per_second);
    // Blocks the calling thread until a call may go.
    void wait();

private:
    using clock = std::chrono::steady_clock;
    std::mutex mutex_;
    double rate_;
    double tokens_;
    clock::time_point last_;
};

}  // namespace ensemble::integrations
