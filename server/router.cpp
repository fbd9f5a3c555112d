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

route shaped(http::verb method, std::string pattern, handler on_request, stream_handler on_stream) {
    route r;
    r.method = method;
    r.segments = split_pattern(pattern);
    r.pattern = std::move(pattern);
    r.on_request = std::move(on_request);
    r.on_stream = std::move(on_stream);
    r.rest = !r.segments.empty() && r.segments.back().size() > 3 && r.segments.back().starts_with("{*");
    r.fixed = r.rest ? r.segments.size() - 1 : r.segments.size();
    for (std::size_t k = 0; k < r.fixed; ++k) r.is_param.push_back(r.segments[k].size() > 2 && r.segments[k].front() == '{');
    return r;
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
    routes_.push_back(shaped(method, std::move(pattern), std::move(h), {}));
    index_last();
}

void router::add_stream(http::verb method, std::string pattern, stream_handler h) {
    routes_.push_back(shaped(method, std::move(pattern), {}, std::move(h)));
    index_last();
}

void router::index_last() {
    std::size_t idx = routes_.size() - 1;
    const route& r = routes_.back();
    for (std::size_t n = r.fixed; n < shapes; ++n) {
        if (n == r.fixed || r.rest) by_count_[n].push_back(idx);
    }
}

route_match router::match(http::verb method, std::string_view path) const {
    route_match out;
    if (path.empty() || path.front() != '/') return out;
    // Routes are tried in the order they were added, until one takes the path and the method: no
    // allocation until then, literal segments compared as views first, {name} segments decoded only
    // for routes whose literals fit. The methods other routes of the path take are collected on the
    // way, for a 405's Allow header.
    boost::container::small_vector<std::string_view, 16> parts;
    for (std::size_t i = 1; i <= path.size();) {
        auto j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        parts.push_back(path.substr(i, j - i));
        i = j + 1;
    }
    // Paths longer than the index covers (none of the routes) are tried against every route.
    std::vector<std::size_t> all;
    if (parts.size() >= shapes) {
        all.resize(routes_.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    }
    const auto& candidates = parts.size() < shapes ? by_count_[parts.size()] : all;
    boost::container::small_vector<std::string, 4> values;
    for (std::size_t idx : candidates) {
        const route& r = routes_[idx];
        if (r.rest ? parts.size() < r.fixed : parts.size() != r.fixed) continue;
        bool ok = true;
        for (std::size_t k = 0; k < r.fixed && ok; ++k)
            if (!r.is_param[k]) ok = r.segments[k] == parts[k];
        values.clear();
        for (std::size_t k = 0; k < r.fixed && ok; ++k)
            if (r.is_param[k]) ok = !parts[k].empty() && percent_decode(parts[k], values.emplace_back());
        if (!ok) continue;
        bool method_ok = r.method == method || (method == http::verb::head && r.method == http::verb::get);
        if (!method_ok) {
            out.path_known = true;
            if (!out.allow.empty()) out.allow += ", ";
            out.allow += std::string(http::to_string(r.method));
            continue;
        }
        out.found = &r;
        out.index = idx;
        for (std::size_t k = 0, v = 0; k < r.fixed; ++k) {
            if (!r.is_param[k]) continue;
            const std::string& seg = r.segments[k];
            out.params.emplace(seg.substr(1, seg.size() - 2), std::move(values[v++]));
        }
        if (r.rest) {
            std::string tail;
            for (std::size_t m = r.fixed; m < parts.size(); ++m) {
                if (m > r.fixed) tail += '/';
                tail += parts[m];
            }
            const std::string& seg = r.segments.back();
            out.params.emplace(seg.substr(2, seg.size() - 3), std::move(tail));
        }
        return out;
    }
    return out;
}

}  // namespace ensemble::server
