// Check-in rules.
#include "core/domain/checkin.hpp"

namespace ensemble::core {

const char* checkin_result_name(checkin_result r) noexcept {
    return r == checkin_result::checked_in ? "checked_in" : "already_checked_in";
}

checkin_decision decide_checkin(const registration& r) noexcept {
    checkin_decision d;
    if (r.status == registration_status::cancelled) {
        d.refusal = "This registration was cancelled.";
        return d;
    }
    if (r.status == registration_status::waitlisted) {
        d.refusal = "This person is on the waitlist and has no seat.";
        return d;
    }
    d.allowed = true;
    d.result = r.checked_in_at ? checkin_result::already_checked_in : checkin_result::checked_in;
    return d;
}

bool link_usable(const checkin_link& l, instant at) noexcept { return !l.revoked_at && at < l.expires_at; }

}  // namespace ensemble::core
