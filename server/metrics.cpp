// Lock-free counters; rendering walks them once per scrape.
#include "server/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace ensemble::server {

metrics::metrics(std::vector<std::string> route_labels) : labels_(std::move(route_labels)) {
    labels_.push_back("static");
    labels_.push_back("unmatched");
    series_ = std::make_unique<series[]>(labels_.size());
}

void metrics::observe(std::size_t route, int status, double seconds) noexcept {
    if (route >= labels_.size()) route = unmatched_route();
    series& s = series_[route];
    std::size_t slot = statuses.size() + 1;
    if (status == 503) slot = statuses.size();
    for (std::size_t i = 0; i < statuses.size(); ++i)
        if (statuses[i] == status) slot = i;
    s.by_status[slot].fetch_add(1, std::memory_order_relaxed);
    std::size_t b = 0;
    while (b < bounds.size() && seconds > bounds[b]) ++b;
    s.buckets[b].fetch_add(1, std::memory_order_relaxed);
    s.count.fetch_add(1, std::memory_order_relaxed);
    s.sum_micros.fetch_add(static_cast<unsigned long long>(seconds * 1e6), std::memory_order_relaxed);
}

void metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

namespace {
std::string escape_label(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}
}  // namespace

std::string metrics::render() const {
    std::ostringstream o;
    o << "# HELP ensemble_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE ensemble_http_requests_total counter\n";
    for (std::size_t r = 0; r < labels_.size(); ++r) {
        std::string route = escape_label(labels_[r]);
        for (std::size_t i = 0; i < statuses.size() + 2; ++i) {
            auto v = series_[r].by_status[i].load(std::memory_order_relaxed);
            if (v == 0) continue;
            std::string code = i < statuses.size() ? std::to_string(statuses[i]) : i == statuses.size() ? "503" : "other";
            o << "ensemble_http_requests_total{route=\"" << route << "\",status=\"" << code << "\"} " << v << "\n";
        }
    }
    o << "# HELP ensemble_http_request_duration_seconds Time from a complete request to its answer.\n"
         "# TYPE ensemble_http_request_duration_seconds histogram\n";
    for (std::size_t r = 0; r < labels_.size(); ++r) {
        const series& s = series_[r];
        auto count = s.count.load(std::memory_order_relaxed);
        if (count == 0) continue;
        std::string route = escape_label(labels_[r]);
        unsigned long long cumulative = 0;
        for (std::size_t b = 0; b < bounds.size(); ++b) {
            cumulative += s.buckets[b].load(std::memory_order_relaxed);
            char le[32];
            std::snprintf(le, sizeof le, "%g", bounds[b]);
            o << "ensemble_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << le << "\"} " << cumulative << "\n";
        }
        cumulative += s.buckets[bounds.size()].load(std::memory_order_relaxed);
        o << "ensemble_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << cumulative << "\n";
        o << "ensemble_http_request_duration_seconds_sum{route=\"" << route << "\"} "
          << static_cast<double>(s.sum_micros.load(std::memory_order_relaxed)) / 1e6 << "\n";
        o << "ensemble_http_request_duration_seconds_count{route=\"" << route << "\"} " << count << "\n";
    }
    o << "# HELP ensemble_http_open_connections Connections open now.\n# TYPE ensemble_http_open_connections gauge\n"
      << "ensemble_http_open_connections " << open_connections_.load() << "\n";
    o << "# HELP ensemble_http_connections_accepted_total Connections accepted since start.\n"
         "# TYPE ensemble_http_connections_accepted_total counter\n"
      << "ensemble_http_connections_accepted_total " << accepted_.load() << "\n";
    for (const auto& g : gauges_) {
        o << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n" << g.name << " " << g.read() << "\n";
    }
    return o.str();
}

}  // namespace ensemble::server
