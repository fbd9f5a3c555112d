// Pattern matching by path segments.
#include "server/router.hpp"

#include <boost/container/small_vector.hpp>

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
    // Every request is matched against every route: no allocation until a route is found, literal
    // segments compared as views, {name} segments decoded only for routes whose shape fits.
    boost::container::small_vector<std::string_view, 16> parts;
    for (std::size_t i = 1; i <= path.size();) {
        auto j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        parts.push_back(path.substr(i, j - i));
        i = j + 1;
    }
    std::string decoded;
    for (std::size_t idx = 0; idx < routes_.size(); ++idx) {
        const route& r = routes_[idx];
        bool rest = !r.segments.empty() && r.segments.back().size() > 3 && r.segments.back().starts_with("{*");
        std::size_t fixed = rest ? r.segments.size() - 1 : r.segments.size();
        if (rest ? parts.size() < fixed : parts.size() != fixed) continue;
        bool ok = true;
        for (std::size_t k = 0; k < fixed && ok; ++k) {
            const std::string& seg = r.segments[k];
            if (seg.size() > 2 && seg.front() == '{') ok = !parts[k].empty() && percent_decode(parts[k], decoded);
            else ok = seg == parts[k];
        }
        if (!ok) continue;
        bool method_ok = r.method == method || (method == http::verb::head && r.method == http::verb::get);
        if (!method_ok) {
            out.path_known = true;
            if (!out.allow.empty()) out.allow += ", ";
            out.allow += std::string(http::to_string(r.method));
            continue;
        }
        if (out.found != nullptr) continue;
        out.found = &r;
        out.index = idx;
        for (std::size_t k = 0; k < fixed; ++k) {
            const std::string& seg = r.segments[k];
            if (seg.size() > 2 && seg.front() == '{') {
                percent_decode(parts[k], decoded);
                out.params.emplace(seg.substr(1, seg.size() - 2), decoded);
            }
        }
        if (rest) {
            std::string tail;
            for (std::size_t m = fixed; m < parts.size(); ++m) {
                if (m > fixed) tail += '/';
                tail += parts[m];
            }
            const std::string& seg = r.segments.back();
            out.params.emplace(seg.substr(2, seg.size() - 3), std::move(tail));
        }
    }
    return out;
}

}  // namespace ensemble::server
