// Accounts and sessions.
#include "core/services/accounts.hpp"

#include "core/domain/registration.hpp"
#include "core/security/crypto.hpp"

namespace ensemble::core::services {

field_errors validate_new_user(const new_user& u) {
    field_errors errors;
    if (!is_valid_email(normalize_email(u.email))) errors["email"] = "is not a valid email address";
    if (trim(u.name).empty()) errors["name"] = "is required";
    else if (u.name.size() > 200 || !is_clean_text(u.name)) errors["name"] = "must be at most 200 bytes of plain text";
    if (!is_valid_role(u.role)) errors["role"] = "must be admin or organizer";
    if (u.password.size() < 12) errors["password"] = "must be at least 12 characters";
    else if (u.password.size() > 1024) errors["password"] = "must be at most 1024 bytes";
    return errors;
}

result<user> create_user(store::connection& c, const new_user& u, const std::string& password_hash) {
    auto errors = validate_new_user(u);
    if (!errors.empty()) return invalid(std::move(errors));
    user out;
    out.email = normalize_email(u.email);
    out.name = trim(u.name);
    out.role = u.role;
    out.created_at = now();
    if (store::find_user_by_email(c, out.email)) return make_failure(errc::conflict, "An account with this email exists already.");
    out.id = store::insert_user(c, out, password_hash);
    return out;
}

result<store::user_with_hash> find_login(store::connection& c, const std::string& email) {
    auto found = store::find_user_by_email(c, normalize_email(email));
    if (!found || found->who.disabled) return not_found("No such account.");
    return *found;
}

result<opened_session> open_session(store::connection& c, const user& who, std::chrono::hours ttl) {
    opened_session s;
    s.token = std::string(session_token_prefix) + random_token(32);
    s.csrf_token = random_token(24);
    s.who = who;
    auto at = now();
    s.expires_at = at + ttl;
    store::insert_session(c, sha256_hex(s.token), who.id, s.csrf_token, at, s.expires_at);
    return s;
}

result<auth_session> session_for(store::connection& c, const std::string& token) {
    if (!token.starts_with(session_token_prefix) || token.size() > 200)
        return make_failure(errc::unauthenticated, "Log in first.");
    auto s = store::find_session(c, sha256_hex(token), now());
    if (!s || s->who.disabled) return make_failure(errc::unauthenticated, "Your session has ended; log in again.");
    return *s;
}

result<unit> close_session(store::connection& c, const std::string& token) {
    store::delete_session(c, sha256_hex(token));
    return unit{};
}

}  // namespace ensemble::core::services
