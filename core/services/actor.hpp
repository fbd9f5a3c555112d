// Who is acting: an organizer or admin account, and what it may see.
#pragma once

#include "core/domain/account.hpp"
#include "core/domain/error.hpp"
#include "core/store/database.hpp"
#include "core/store/events_repo.hpp"

namespace ensemble::core::services {

struct actor {
    long long user_id = 0;
    std::string role;  // admin | organizer
    bool is_admin() const noexcept { return role == "admin"; }
};

inline actor actor_of(const user& u) { return actor{u.id, u.role}; }

// The event's head when `who` may manage it (admin, owner or added organizer); otherwise not_found,
// exactly as for a missing event.
result<store::event_head> managed_event(store::connection& c, const actor& who, std::string_view id_or_slug);

// Writes an audit entry for an organizer action.
void audit(store::connection& c, const actor& who, std::string_view action, long long event_id, std::string_view subject,
           std::string_view detail);

}  // namespace ensemble::core::services
