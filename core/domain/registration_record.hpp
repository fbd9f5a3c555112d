// A stored registration: the person, their seat or waitlist place, their ticket and check-in.
#pragma once

#include "core/domain/registration.hpp"

#include <optional>

namespace ensemble::core {

struct registration {
    long long id = 0;
    long long event_id = 0;
    core::mode mode = core::mode::in_person;
    registration_status status = registration_status::confirmed;
    std::string name;
    std::string email;
    std::string email_norm;
    std::string language = "en";
    nlohmann::json answers = nlohmann::json::object();
    std::string ticket_code;
    std::string manage_token;
    instant created_at{};
    instant updated_at{};
    std::optional<instant> confirmed_at;
    std::optional<instant> cancelled_at;
    std::optional<instant> checked_in_at;
    long long checked_in_link = 0;
    std::string checked_in_device;
    std::string zoom_registrant_id;
    std::string join_url;
    std::optional<instant> erased_at;
};

// Lower-case, accent-folded text for searching by name or email.
std::string search_key(std::string_view name, std::string_view email);
std::string fold_for_search(std::string_view text);

}  // namespace ensemble::core
