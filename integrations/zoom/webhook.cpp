// Checking and reading Zoom webhook notifications.
#include "integrations/zoom/webhook.hpp"
#include "integrations/json_text.hpp"

#include "core/security/crypto.hpp"

#include <charconv>

namespace ensemble::integrations {
namespace {

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view raw_body) {
    std::string message = "v0:";
    message.append(timestamp);
    message += ':';
    message.append(raw_body);
    return "v0=" + core::hmac_sha256_hex(secret, message);
}

webhook_check verify_webhook(std::string_view secret, std::string_view signature, std::string_view timestamp, std::string_view raw_body,
                             core::instant at, std::chrono::seconds window) {
    if (signature.empty() || timestamp.empty() || secret.empty()) return webhook_check::missing_headers;
    long long ts = 0;
    auto [p, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (ec != std::errc() || p != timestamp.data() + timestamp.size() || ts <= 0) return webhook_check::stale_timestamp;
    core::instant sent = ts > 100'000'000'000LL ? core::from_ms(ts) : core::from_ms(ts * 1000);
    auto distance = sent > at ? sent - at : at - sent;
    if (distance > window) return webhook_check::stale_timestamp;
    std::string expected = webhook_signature(secret, timestamp, raw_body);
    return core::constant_time_equal(expected, signature) ? webhook_check::ok : webhook_check::bad_signature;
}

nlohmann::json url_validation_answer(std::string_view secret, std::string_view plain_token) {
    return {{"plainToken", std::string(plain_token)}, {"encryptedToken", core::hmac_sha256_hex(secret, plain_token)}};
}

std::optional<participant_event> read_participant_event(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    std::string event = json_text(body, "event");
    participant_event out;
    if (event == "meeting.participant_joined" || event == "webinar.participant_joined") out.joined = true;
    else if (event == "meeting.participant_left" || event == "webinar.participant_left") out.joined = false;
    else return std::nullopt;
    if (!body.contains("payload") || !body["payload"].is_object()) return std::nullopt;
    const auto& object = body["payload"].value("object", nlohmann::json::object());
    if (!object.is_object()) return std::nullopt;
    out.zoom_id = json_text(object, "id");
    out.instance_uuid = json_text(object, "uuid");
    const auto& who = object.value("participant", nlohmann::json::object());
    if (out.zoom_id.empty() || !who.is_object()) return std::nullopt;
    out.registrant_id = json_text(who, "registrant_id");
    out.email = json_text(who, "email");
    std::string zoom_participant = json_text(who, "participant_uuid");
    if (zoom_participant.empty()) zoom_participant = json_text(who, "user_id");
    if (zoom_participant.empty()) zoom_participant = json_text(who, "id");
    out.participant_key = !out.registrant_id.empty() ? "registrant:" + out.registrant_id
                          : !out.email.empty()       ? "email:" + out.email
                                                     : "participant:" + zoom_participant;
    if (out.participant_key == "participant:") return std::nullopt;
    std::string when = json_text(who, out.joined ? "join_time" : "leave_time");
    auto parsed = core::parse_instant(when, "UTC");
    if (parsed) out.at = *parsed;
    else {
        long long ts = body.value("event_ts", 0LL);
        out.at = ts > 0 ? core::from_ms(ts) : core::now();
    }
    out.delivery_key = core::sha256_hex(event + "|" + out.zoom_id + "|" + out.instance_uuid + "|" + out.participant_key + "|" +
                                        std::to_string(core::to_ms(out.at)));
    return out;
}

}  // namespace ensemble::integrations
