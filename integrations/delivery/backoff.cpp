// Backoff arithmetic and Retry-After parsing.
#include "integrations/delivery/backoff.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ensemble::integrations {

std::chrono::milliseconds full_jitter_delay(const backoff_policy& p, int attempt, std::mt19937_64& rng) {
    long long cap = p.cap.count();
    long long ceiling = p.base.count();
    for (int i = 1; i < attempt && ceiling < cap; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, cap);
    if (ceiling <= 0) return std::chrono::milliseconds(0);
    std::uniform_int_distribution<long long> pick(0, ceiling);
    return std::chrono::milliseconds(pick(rng));
}

std::optional<core::instant> parse_retry_after(std::string_view value, core::instant at) {
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        long long seconds = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec != std::errc() || p != value.data() + value.size()) return std::nullopt;
        seconds = std::min<long long>(seconds, 366LL * 24 * 3600);
        return at + std::chrono::seconds(seconds);
    }
    core::instant t{};
    if (core::parse_http_date(value, t)) return std::max(t, at);
    auto iso = core::parse_instant(value, "UTC");
    if (iso) return std::max(*iso, at);
    return std::nullopt;
}

core::instant next_utc_midnight(core::instant at) {
    auto day = std::chrono::floor<std::chrono::days>(at);
    return std::chrono::time_point_cast<std::chrono::milliseconds>(day + std::chrono::days(1));
}

core::instant next_attempt_at(const backoff_policy& p, int attempt, std::optional<core::instant> asked, core::instant at,
                              std::mt19937_64& rng) {
    if (asked && *asked >= at) return *asked;
    return at + full_jitter_delay(p, attempt, rng);
}

}  // namespace ensemble::integrations
