// Zoom webhook notifications: signature check, URL validation answer, participant joined/left.
#pragma once

#include "core/domain/time.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ensemble::integrations {

enum class webhook_check { ok, missing_headers, stale_timestamp, bad_signature };

// Checks `x-zm-signature` = "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)),
// compared in constant time, and refuses a timestamp (seconds, or milliseconds when that large)
// further than `window` from `at`.
webhook_check verify_webhook(std::string_view secret, std::string_view signature, std::string_view timestamp, std::string_view raw_body,
                             core::instant at, std::chrono::seconds window = std::chrono::minutes(5));

// The signature Zoom would send for this body and timestamp (for tests and fakes).
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view raw_body);

// The answer to `endpoint.url_validation`: {"plainToken", "encryptedToken": hex HMAC-SHA256(secret, plainToken)}.
nlohmann::json url_validation_answer(std::string_view secret, std::string_view plain_token);

// One participant joining or leaving a meeting or webinar.
struct participant_event {
    bool joined = true;          // false: left
    std::string zoom_id;         // payload.object.id (meeting or webinar id)
    std::string instance_uuid;   // payload.object.uuid
    std::string registrant_id;   // may be empty
    std::string email;           // may be empty
    std::string participant_key; // registrant id, else email, else Zoom's participant id
    core::instant at{};          // join_time or leave_time, else the event's timestamp
    std::string delivery_key;    // the same for a redelivery of the same notification
};

// Reads meeting/webinar.participant_joined/left; nothing for other events or unusable payloads.
std::optional<participant_event> read_participant_event(const nlohmann::json& body);

}  // namespace ensemble::integrations
