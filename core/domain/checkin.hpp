// Rules of check-in at the door: who may be checked in, what a second scan says, what an undo does.
#pragma once

#include "core/domain/registration_record.hpp"

#include <optional>
#include <string>

namespace ensemble::core {

enum class checkin_result { checked_in, already_checked_in };
const char* checkin_result_name(checkin_result r) noexcept;

// What the door may do with a registration: check it in, say it was already, or refuse (cancelled
// or waitlisted). An online registrant who comes to the door is checked in and flagged.
struct checkin_decision {
    bool allowed = false;
    checkin_result result = checkin_result::checked_in;
    std::string refusal;  // why not, when not allowed
};
checkin_decision decide_checkin(const registration& r) noexcept;

// A check-in link is usable while not revoked, not expired and its event not cancelled.
struct checkin_link {
    long long id = 0;
    long long event_id = 0;
    std::string label;
    instant created_at{};
    instant expires_at{};
    std::optional<instant> revoked_at;
    long long created_by = 0;
};
bool link_usable(const checkin_link& l, instant at) noexcept;

// Prefix of check-in link tokens (session tokens have their own).
inline constexpr std::string_view checkin_token_prefix = "ens_c_";

}  // namespace ensemble::core
