// What one attempt at an outbox row came to, and how an HTTP answer maps onto it.
#pragma once

#include "core/domain/time.hpp"
#include "integrations/http/http_client.hpp"

#include <optional>
#include <string>

namespace ensemble::integrations {

struct delivery_outcome {
    enum class kind {
        done,     // delivered (or already delivered before): mark sent
        retry,    // failed for now: back off and try again, counting the attempt
        give_up,  // cannot succeed as it is: mark failed at once
        defer,    // waiting on something else (the Zoom meeting): try later, no attempt counted
        skip,     // no longer needed (registration cancelled meanwhile): mark cancelled
    };
    kind what = kind::done;
    std::string note;                         // error or reason, shown on the dashboard
    std::optional<core::instant> not_before;  // Retry-After, or when to look again for defer

    static delivery_outcome done() { return {kind::done, {}, {}}; }
    static delivery_outcome retry(std::string why, std::optional<core::instant> at = {}) { return {kind::retry, std::move(why), at}; }
    static delivery_outcome give_up(std::string why) { return {kind::give_up, std::move(why), {}}; }
    static delivery_outcome defer(std::string why, core::instant at) { return {kind::defer, std::move(why), at}; }
    static delivery_outcome skip(std::string why) { return {kind::skip, std::move(why), {}}; }
};

// 2xx done; 408, 425, 429, 5xx, 401 and 403 (credentials can be fixed) and transport failures are
// retried, honouring Retry-After (and Zoom's daily limit, which resets at 00:00 UTC); other 4xx give up.
// `what` names the call in the message ("SendGrid", "Zoom add registrant").
delivery_outcome outcome_of_http(const http_reply& r, const std::string& what, core::instant at);

// A short, single-line excerpt of a provider's answer body for error messages.
std::string body_excerpt(const std::string& body);

}  // namespace ensemble::integrations
