// Accounts of organizers and admins, and the sessions they log in with.
#pragma once

#include "core/domain/time.hpp"

#include <string>

namespace ensemble::core {

struct user {
    long long id = 0;
    std::string email;
    std::string name;
    std::string role;  // admin | organizer
    bool disabled = false;
    instant created_at{};
};

inline bool is_valid_role(std::string_view role) noexcept { return role == "admin" || role == "organizer"; }

struct auth_session {
    user who;
    std::string csrf_token;
    instant expires_at{};
};

}  // namespace ensemble::core
