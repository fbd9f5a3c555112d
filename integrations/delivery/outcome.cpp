// Classifying HTTP answers into retry decisions.
#include "integrations/delivery/outcome.hpp"

#include "integrations/delivery/backoff.hpp"

#include <algorithm>
#include <cctype>

namespace ensemble::integrations {

std::string body_excerpt(const std::string& body) {
    std::string out;
    for (char c : body.substr(0, 300)) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
    return out;
}

delivery_outcome outcome_of_http(const http_reply& r, const std::string& what, core::instant at) {
    if (!r.error.empty()) return delivery_outcome::retry(what + ": " + r.error);
    long s = r.status;
    if (s >= 200 && s < 300) return delivery_outcome::done();
    std::string message = what + ": HTTP " + std::to_string(s);
    std::string excerpt = body_excerpt(r.body);
    if (!excerpt.empty()) message += " " + excerpt;
    if (s == 429 || s == 503 || s == 408 || s == 425 || s >= 500 || s == 401 || s == 403) {
        std::optional<core::instant> asked;
        std::string retry_after = r.header("retry-after");
        if (!retry_after.empty()) asked = parse_retry_after(retry_after, at);
        if (!asked && s == 429) {
            std::string type = r.header("x-ratelimit-type");
            std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (type == "daily-limit") asked = next_utc_midnight(at);
        }
        return delivery_outcome::retry(message, asked);
    }
    return delivery_outcome::give_up(message);
}

}  // namespace ensemble::integrations
