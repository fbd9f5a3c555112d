// SQL for users and login sessions.
#pragma once

#include "core/domain/account.hpp"
#include "core/store/database.hpp"

#include <optional>
#include <vector>

namespace ensemble::core::store {

struct user_with_hash {
    core::user who;
    std::string password_hash;
};

// Inserts a user; returns its id. Throws on a duplicate email (callers check first).
long long insert_user(connection& c, const user& u, const std::string& password_hash);
std::optional<user_with_hash> find_user_by_email(connection& c, const std::string& email_norm);
std::optional<user> find_user(connection& c, long long id);
std::vector<user> list_users(connection& c);
void update_user(connection& c, const user& u);
void set_password_hash(connection& c, long long user_id, const std::string& hash);

void insert_session(connection& c, const std::string& token_hash, long long user_id, const std::string& csrf,
                    instant created, instant expires);
std::optional<auth_session> find_session(connection& c, const std::string& token_hash, instant at);
void delete_session(connection& c, const std::string& token_hash);
void delete_sessions_of(connection& c, long long user_id);
long long purge_expired_sessions(connection& c, instant at);

}  // namespace ensemble::core::store
