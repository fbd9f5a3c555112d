// Zoom's REST API with Server-to-Server OAuth: meetings, webinars and their registrants.
#pragma once

#include "integrations/delivery/outcome.hpp"
#include "integrations/delivery/rate_gate.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <string>

namespace ensemble::integrations {

struct zoom_settings {
    std::string account_id;
    std::string client_id;
    std::string client_secret;
    std::string user = "me";
    std::string api_url = "https://api.zoom.us/v2";
    std::string oauth_url = "https://zoom.us";
    double requests_per_second = 10;
    std::chrono::seconds timeout{20};
    bool enabled() const noexcept { return !account_id.empty() && !client_id.empty() && !client_secret.empty(); }
};

// A meeting or webinar as we describe it to Zoom.
struct zoom_session {
    std::string type = "meeting";  // meeting | webinar
    std::string topic;
    std::string agenda;
    std::string start_time_utc;  // "2025-11-22T14:30:00Z"
    int duration_minutes = 60;
    std::string timezone;
};

struct zoom_created {
    std::string id;
    std::string join_url;
};

struct zoom_registrant {
    std::string registrant_id;
    std::string join_url;
};

// Calls are blocking and thread-safe; each waits its turn at the shared rate gate. The access token
// is cached and renewed five minutes before it expires, by one caller while the others wait for it;
// a 401 drops it and the call is tried once more with a fresh one.
class zoom_client {
public:
    explicit zoom_client(zoom_settings s);

    delivery_outcome create(const zoom_session& s, zoom_created& out);
    delivery_outcome update(const std::string& type, const std::string& id, const zoom_session& s);
    // A meeting or webinar already gone (404) counts as deleted.
    delivery_outcome remove(const std::string& type, const std::string& id);
    delivery_outcome add_registrant(const std::string& type, const std::string& id, const std::string& email, const std::string& first_name,
                                    const std::string& last_name, const std::string& language, zoom_registrant& out);
    // Cancels by registrant id when known, else by email. An unknown registrant (404) counts as done.
    delivery_outcome cancel_registrant(const std::string& type, const std::string& id, const std::string& registrant_id,
                                       const std::string& email);

    const zoom_settings& settings() const noexcept { return s_; }

private:
    // An access token, or the outcome that kept us from getting one.
    delivery_outcome token(std::string& out);
    http_reply call(const std::string& method, const std::string& path, const nlohmann::json* body, delivery_outcome& failed);

    zoom_settings s_;
    rate_gate gate_;
    std::mutex token_mutex_;  // held while reading or renewing, so one renewal runs at a time
    std::string token_;
    std::chrono::steady_clock::time_point token_expires_{};
};

// "meetings" or "webinars" for a type.
std::string zoom_collection(const std::string& type);

}  // namespace ensemble::integrations
