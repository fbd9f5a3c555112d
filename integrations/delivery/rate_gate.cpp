// Token bucket refilled continuously; waiting threads sleep outside the lock.
#include "integrations/delivery/rate_gate.hpp"

#include <algorithm>
#include <thread>

namespace ensemble::integrations {

rate_gate::rate_gate(double per_second) : rate_(per_second), tokens_(std::max(1.0, per_second)), last_(clock::now()) {}

void rate_gate::wait() {
    if (rate_ <= 0) return;
    for (;;) {
        std::chrono::duration<double> sleep_for{};
        {
            std::lock_guard lock(mutex_);
            auto t = clock::now();
            tokens_ = std::min(std::max(1.0, rate_), tokens_ + std::chrono::duration<double>(t - last_).count() * rate_);
            last_ = t;
            if (tokens_ >= 1.0) {
                tokens_ -= 1.0;
                return;
            }
            sleep_for = std::chrono::duration<double>((1.0 - tokens_) / rate_);
        }
        std::this_thread::sleep_for(sleep_for);
    }
}

}  // namespace ensemble::integrations
