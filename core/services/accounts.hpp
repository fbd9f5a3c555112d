// Use cases of accounts: create a user, log in, check a session, log out.
#pragma once

#include "core/domain/account.hpp"
#include "core/domain/error.hpp"
#include "core/store/database.hpp"
#include "core/store/users_repo.hpp"

#include <chrono>

namespace ensemble::core::services {

struct new_user {
    std::string email;
    std::string name;
    std::string role;
    std::string password;
};

// Checks a new account's fields: email form, name, role, password length (12 to 1024 bytes).
field_errors validate_new_user(const new_user& u);

// Stores an account whose password was already hashed. Fails with `conflict` on a taken email.
result<user> create_user(store::connection& c, const new_user& u, const std::string& password_hash);

// The account for a login attempt, with its hash; not_found when there is none or it is disabled.
result<store::user_with_hash> find_login(store::connection& c, const std::string& email);

struct opened_session {
    std::string token;  // given to the client once; only its hash is stored
    std::string csrf_token;
    user who;
    instant expires_at{};
};

// Opens a session of `ttl` for the user: 256 random bits, stored as a SHA-256 hash.
result<opened_session> open_session(store::connection& c, const user& who, std::chrono::hours ttl);
// The live session of a token; unauthenticated when unknown, expired or the account is disabled.
result<auth_session> session_for(store::connection& c, const std::string& token);
result<unit> close_session(store::connection& c, const std::string& token);

// Prefix of session tokens; check-in tokens have their own.
inline constexpr std::string_view session_token_prefix = "ens_s_";

}  // namespace ensemble::core::services
