// Request counters, latency histograms and gauges, rendered in Prometheus text format.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ensemble::server {

class metrics {
public:
    // One series per route label; the last labels are kept for "static" and "unmatched".
    explicit metrics(std::vector<std::string> route_labels);

    void observe(std::size_t route, int status, double seconds) noexcept;
    void connection_opened() noexcept { open_connections_++; accepted_++; }
    void connection_closed() noexcept { open_connections_--; }
    long long open_connections() const noexcept { return open_connections_.load(); }

    // Extra gauges (storage queue, outbox) asked for at render time.
    void add_gauge(std::string name, std::string help, std::function<double()> read);

    std::string render() const;

    std::size_t static_route() const noexcept { return labels_.size() - 2; }
    std::size_t unmatched_route() const noexcept { return labels_.size() - 1; }

private:
    static constexpr std::array<int, 18> statuses = {101, 200, 201, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 409, 413, 415, 429, 500};
    static constexpr std::array<double, 12> bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
    struct series {
        std::array<std::atomic<unsigned long long>, statuses.size() + 2> by_status{};  // + 503 + other
        std::array<std::atomic<unsigned long long>, bounds.size() + 1> buckets{};
        std::atomic<unsigned long long> count{0};
        std::atomic<unsigned long long> sum_micros{0};
    };
    struct gauge {
        std::string name, help;
        std::function<double()> read;
    };
    std::vector<std::string> labels_;
    std::unique_ptr<series[]> series_;
    std::atomic<long long> open_connections_{0};
    std::atomic<unsigned long long> accepted_{0};
    std::vector<gauge> gauges_;
};

}  // namespace ensemble::server
