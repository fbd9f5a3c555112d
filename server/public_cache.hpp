// Serialised public answers (event pages, event lists) kept for a moment and dropped on change.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ensemble::server {

class public_cache {
public:
    explicit public_cache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

    // The cached body for `key`, if fresh and not invalidated since.
    std::shared_ptr<const std::string> get(const std::string& key);
    // Stores a body computed while `generation` was current (ignored if invalidated meanwhile).
    void put(const std::string& key, std::shared_ptr<const std::string> body, unsigned long long generation);
    // Drops every entry; called after any change that a public answer shows.
    void invalidate();
    unsigned long long generation() const;

private:
    struct entry {
        std::shared_ptr<const std::string> body;
        std::chrono::steady_clock::time_point stored;
    };
    std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, entry> entries_;
    unsigned long long generation_ = 0;
};

}  // namespace ensemble::server
