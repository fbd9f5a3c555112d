// Messages owed to the outside world, kept as outbox rows until delivered.
#pragma once

#include "core/domain/time.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ensemble::core {

// Kinds of outbox rows. Emails are rendered when sent, from the current registration and event.
namespace message_kind {
inline constexpr const char* confirmation = "email.confirmation";
inline constexpr const char* waitlisted = "email.waitlisted";
inline constexpr const char* promoted = "email.promoted";
inline constexpr const char* cancelled = "email.cancelled";
inline constexpr const char* event_cancelled = "email.event_cancelled";
inline constexpr const char* switched = "email.switched";
inline constexpr const char* join_link = "email.join_link";
inline constexpr const char* reminder = "email.reminder";
inline constexpr const char* recording = "email.recording";
inline constexpr const char* zoom_create = "zoom.create";
inline constexpr const char* zoom_update = "zoom.update";
inline constexpr const char* zoom_delete = "zoom.delete";
inline constexpr const char* zoom_add_registrant = "zoom.add_registrant";
inline constexpr const char* zoom_cancel_registrant = "zoom.cancel_registrant";
}  // namespace message_kind

struct outbox_message {
    long long id = 0;
    std::string kind;
    std::string channel;  // email | zoom
    long long event_id = 0;
    long long registration_id = 0;
    std::string recipient;
    nlohmann::json payload = nlohmann::json::object();
    std::string status = "pending";  // pending | sending | sent | failed | cancelled
    int attempts = 0;
    std::string last_error;
    instant next_attempt_at{};
    instant created_at{};
    std::optional<instant> sent_at;
    std::string dedupe_key;  // empty: none
};

inline std::string channel_of(std::string_view kind) { return std::string(kind.substr(0, kind.find('.'))); }

}  // namespace ensemble::core
