// When to try a message again: exponential backoff with full jitter, or what the provider asked for.
#pragma once

#include "core/domain/time.hpp"

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

namespace ensemble::integrations {

struct backoff_policy {
    std::chrono::milliseconds base{10'000};
    std::chrono::milliseconds cap{6 * 3600'000};
};

// A delay drawn uniformly from [0, min(cap, base * 2^(attempt-1))] ("full jitter"); `attempt`
// counts from 1 for the first failed try.
std::chrono::milliseconds full_jitter_delay(const backoff_policy& p, int attempt, std::mt19937_64& rng);

// Reads a Retry-After value: delay seconds ("120"), an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT")
// or an ISO 8601 / RFC 3339 time ("2025-03-01T00:00:00Z", as Zoom sends for daily limits).
// Nothing for anything else; a time in the past reads as `at`.
std::optional<core::instant> parse_retry_after(std::string_view value, core::instant at);

// The next 00:00 UTC after `at`, when Zoom's daily limits reset.
core::instant next_utc_midnight(core::instant at);

// When to try again: what the provider asked for when it said, else now plus the jittered delay.
core::instant next_attempt_at(const backoff_policy& p, int attempt, std::optional<core::instant> asked, core::instant at,
                              std::mt19937_64& rng);

}  // namespace ensemble::integrations
