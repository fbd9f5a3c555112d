// Static files, kept in memory after the first read and reloaded when their mtime changes.
#include "server/static_files.hpp"

#include "core/security/crypto.hpp"

#include <fstream>
#include <sstream>

namespace ensemble::server {

namespace http = boost::beast::http;

std::string_view content_type_for(std::string_view name) {
    auto dot = name.rfind('.');
    std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
    if (ext == "json" || ext == "map") return "application/json; charset=utf-8";
    if (ext == "webmanifest") return "application/manifest+json";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    if (ext == "ico") return "image/x-icon";
    if (ext == "webp") return "image/webp";
    if (ext == "woff2") return "font/woff2";
    if (ext == "txt") return "text/plain; charset=utf-8";
    if (ext == "yaml" || ext == "yml") return "application/yaml";
    if (ext == "wasm") return "application/wasm";
    if (ext == "mp3") return "audio/mpeg";
    if (ext == "ogg") return "audio/ogg";
    return "application/octet-stream";
}

bool is_safe_relative_path(std::string_view relative) {
    if (relative.empty() || relative.size() > 512) return false;
    if (relative.front() == '/') return false;
    for (char c : relative)
        if (c == '\0' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
    std::size_t i = 0;
    while (i <= relative.size()) {
        auto j = relative.find('/', i);
        if (j == std::string_view::npos) j = relative.size();
        std::string_view seg = relative.substr(i, j - i);
        if (seg.empty() || seg.front() == '.') return false;
        i = j + 1;
    }
    return true;
}

static_files::static_files(std::filesystem::path root) : root_(std::filesystem::weakly_canonical(std::move(root))) {}

std::optional<static_files::cached> static_files::load(const std::filesystem::path& file) {
    std::error_code ec;
    auto status = std::filesystem::status(file, ec);
    if (ec || !std::filesystem::is_regular_file(status)) return std::nullopt;
    auto mtime = std::filesystem::last_write_time(file, ec);
    if (ec) return std::nullopt;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) return std::nullopt;
    std::string key = file.string();
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(key);
        if (it != cache_.end() && it->second.mtime == mtime && it->second.size == size) return it->second;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buf;
    buf << in.rdbuf();
    cached c;
    c.body = std::make_shared<const std::string>(buf.str());
    c.etag = "\"" + core::sha256_hex(*c.body).substr(0, 20) + "\"";
    c.mtime = mtime;
    c.size = size;
    std::lock_guard lock(mutex_);
    cache_[key] = c;
    return c;
}

std::optional<response> static_files::serve(const request& req, std::string_view relative, bool immutable_cache) {
    if (!is_safe_relative_path(relative)) return std::nullopt;
    std::filesystem::path file = root_ / std::filesystem::path(std::string(relative));
    // Resolve symlinks and make sure the file is still under the root.
    std::error_code ec;
    auto real = std::filesystem::weakly_canonical(file, ec);
    if (ec) return std::nullopt;
    auto rel = real.lexically_relative(root_);
    if (rel.empty() || rel.native().starts_with("..")) return std::nullopt;
    auto c = load(real);
    if (!c) return std::nullopt;

    response res;
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    res.set(http::field::etag, c->etag);
    std::string_view type = content_type_for(real.filename().string());
    res.set(http::field::content_type, type);
    bool is_html = type.starts_with("text/html");
    res.set(http::field::cache_control, immutable_cache ? "public, max-age=31536000, immutable"
                                        : is_html       ? "no-cache"
                                                        : "public, max-age=300, must-revalidate");
    if (req[http::field::if_none_match] == c->etag) {
        res.result(http::status::not_modified);
        res.prepare_payload();
        return res;
    }
    res.result(http::status::ok);
    if (req.method() != http::verb::head) res.body() = *c->body;
    res.prepare_payload();
    if (req.method() == http::verb::head) res.content_length(c->body->size());
    return res;
}

}  // namespace ensemble::server
