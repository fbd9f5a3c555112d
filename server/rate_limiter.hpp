// Token buckets per key (client address, account, link), in memory, sharded to keep locks short.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ensemble::server {

class rate_limiter {
public:
    // `per_period` tokens refill evenly over `period`; a bucket holds at most `burst` (>= 1).
    rate_limiter(int per_period, std::chrono::seconds period, int burst);

    // Takes one token for `key`. When none is left, returns false and sets the seconds to wait.
    bool take(const std::string& key, int& retry_after_s);
    // Gives a token back (a successful login should not count against the account).
    void reset(const std::string& key);
    bool enabled() const noexcept { return per_period_ > 0; }

private:
    struct bucket {
        double tokens;
        std::chrono::steady_clock::time_point updated;
    };
    struct shard {
        std::mutex mutex;
        std::unordered_map<std::string, bucket> buckets;
        std::chrono::steady_clock::time_point last_sweep{};
    };
    int per_period_;
    double per_second_;
    double burst_;
    std::array<shard, 16> shards_;
};

}  // namespace ensemble::server
