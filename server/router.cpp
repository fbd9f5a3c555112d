// Pattern matching by path segments.
#include "server/router.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;

namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= pattern.size()) {
        auto j = pattern.find('/', i);
        if (j == std::string_view::npos) j = pattern.size();
        out.emplace_back(pattern.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

bool percent_decode(std::string_view in, std::string& out, bool plus_as_space) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return false;
            int hi = hex(in[i + 1]);
            int lo = hex(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            char decoded = static_cast<char>(hi * 16 + lo);
            if (decoded == '\0') return false;
            out += decoded;
            i += 2;
        } else if (c == '+' && plus_as_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return true;
}

std::string request_context::query(std::string_view name) const {
    std::string_view q = raw_query;
    while (!q.empty()) {
        auto amp = q.find('&');
        std::string_view pair = q.substr(0, amp);
        auto eq = pair.find('=');
        std::string key;
        if (percent_decode(pair.substr(0, eq), key, true) && key == name) {
            std::string value;
            if (eq != std::string_view::npos && percent_decode(pair.substr(eq + 1), value, true)) return value;
            return {};
        }
        if (amp == std::string_view::npos) break;
        q.remove_prefix(amp + 1);
    }
    return {};
}

const std::string& request_context::param(std::string_view name) const {
    static const std::string empty;
    auto it = params.find(name);
    return it == params.end() ? empty : it->second;
}

void router::add(http::verb method, std::string pattern, handler h) {
    route r{method, pattern, std::move(h), {}, split_pattern(pattern)};
    routes_.push_back(std::move(r));
}

void router::add_stream(http::verb method, std::string pattern, stream_handler h) {
    route r{method, pattern, {}, std::move(h), split_pattern(pattern)};
    routes_.push_back(std::move(r));
}

route_match router::match(http::verb method, std::string_view path) const {
    route_match out;
    if (path.empty() || path.front() != '/') return out;
    std::vector<std::string_view> parts;
    {
        std::size_t i = 1;
        while (i <= path.size()) {
            auto j = path.find('/', i);
            if (j == std::string_view::npos) j = path.size();
            parts.push_back(path.substr(i, j - i));
            i = j + 1;
        }
    }
    for (std::size_t idx = 0; idx < routes_.size(); ++idx) {
        const route& r = routes_[idx];
        std::map<std::string, std::string, std::less<>> params;
        bool ok = true;
        std::size_t k = 0;
        for (; k < r.segments.size(); ++k) {
            const std::string& seg = r.segments[k];
            if (seg.size() > 3 && seg.starts_with("{*")) {
                std::string rest;
                for (std::size_t m = k; m < parts.size(); ++m) {
                    if (m > k) rest += '/';
                    rest += parts[m];
                }
                params[seg.substr(2, seg.size() - 3)] = rest;
                k = parts.size();
                break;
            }
            if (k >= parts.size()) {
                ok = false;
                break;
            }
            if (seg.size() > 2 && seg.front() == '{') {
                std::string decoded;
                if (parts[k].empty() || !percent_decode(parts[k], decoded)) {
                    ok = false;
                    break;
                }
                params[seg.substr(1, seg.size() - 2)] = std::move(decoded);
            } else if (seg != parts[k]) {
                ok = false;
                break;
            }
        }
        if (!ok || k != parts.size()) continue;
        bool method_ok = r.method == method || (method == http::verb::head && r.method == http::verb::get);
        if (method_ok) {
            if (out.found == nullptr) {
                out.found = &r;
                out.index = idx;
                out.params = std::move(params);
            }
        } else {
            out.path_known = true;
            if (!out.allow.empty()) out.allow += ", ";
            out.allow += std::string(http::to_string(r.method));
        }
    }
    return out;
}

}  // namespace ensemble::server
