// Files under web/ served with their content type, ETag and caching; nothing outside web/ is reachable.
#pragma once

#include "server/http_types.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace ensemble::server {

class static_files {
public:
    explicit static_files(std::filesystem::path root);

    // Answers a GET or HEAD for `relative` (already percent-decoded, without leading '/'), or
    // nullopt when there is no such file. Paths with "..", NUL, backslashes or hidden parts never match.
    std::optional<response> serve(const request& req, std::string_view relative, bool immutable_cache = false);

    const std::filesystem::path& root() const noexcept { return root_; }

private:
    struct cached {
        std::shared_ptr<const std::string> body;
        std::string etag;
        std::filesystem::file_time_type mtime;
        std::uintmax_t size = 0;
    };
    std::optional<cached> load(const std::filesystem::path& file);

    std::filesystem::path root_;
    std::mutex mutex_;
    std::map<std::string, cached> cache_;
};

// The content type for a file name's extension.
std::string_view content_type_for(std::string_view name);
// True when a relative path stays inside its root: no "..", no absolute part, no NUL or backslash,
// no hidden (dot) segment.
bool is_safe_relative_path(std::string_view relative);

}  // namespace ensemble::server
