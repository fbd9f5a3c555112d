// Token buckets; idle full buckets are swept once a minute per shard.
#include "server/rate_limiter.hpp"

#include <cmath>
#include <functional>

namespace ensemble::server {

rate_limiter::rate_limiter(int per_period, std::chrono::seconds period, int burst)
    : per_period_(per_period),
      per_second_(per_period > 0 ? static_cast<double>(per_period) / static_cast<double>(period.count()) : 0),
      burst_(std::max(1, burst)) {}

bool rate_limiter::take(const std::string& key, int& retry_after_s) {
    if (per_period_ <= 0) return true;
    auto now = std::chrono::steady_clock::now();
    shard& s = shards_[std::hash<std::string>{}(key) % shards_.size()];
    std::lock_guard lock(s.mutex);
    if (now - s.last_sweep > std::chrono::seconds(60)) {
        for (auto it = s.buckets.begin(); it != s.buckets.end();) {
            double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
            if (it->second.tokens + elapsed * per_second_ >= burst_) it = s.buckets.erase(it);
            else ++it;
        }
        s.last_sweep = now;
    }
    auto [it, inserted] = s.buckets.try_emplace(key, bucket{burst_, now});
    bucket& b = it->second;
    if (!inserted) {
        double elapsed = std::chrono::duration<double>(now - b.updated).count();
        b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
        b.updated = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    retry_after_s = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_second_)));
    return false;
}

void rate_limiter::reset(const std::string& key) {
    shard& s = shards_[std::hash<std::string>{}(key) % shards_.size()];
    std::lock_guard lock(s.mutex);
    s.buckets.erase(key);
}

}  // namespace ensemble::server
