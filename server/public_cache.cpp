// A generation counter makes invalidation O(1) and keeps stale computations out.
#include "server/public_cache.hpp"

namespace ensemble::server {

std::shared_ptr<const std::string> public_cache::get(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    if (std::chrono::steady_clock::now() - it->second.stored > ttl_) {
        entries_.erase(it);
        return nullptr;
    }
    return it->second.body;
}

void public_cache::put(const std::string& key, std::shared_ptr<const std::string> body, unsigned long long generation) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;
    if (entries_.size() > 10000) entries_.clear();
    entries_[key] = entry{std::move(body), std::chrono::steady_clock::now()};
}

void public_cache::invalidate() {
    std::lock_guard lock(mutex_);
    ++generation_;
    entries_.clear();
}

unsigned long long public_cache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

}  // namespace ensemble::server
