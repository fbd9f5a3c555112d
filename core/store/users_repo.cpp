// Users and sessions in SQL.
#include "core/store/users_repo.hpp"
#include "core/store/row.hpp"

namespace ensemble::core::store {
namespace {

struct session_statements {
    explicit session_statements(connection& c)
        : find((c.sql.prepare << "SELECT u.id, u.email, u.name, u.role, u.disabled, u.created_at, s.csrf_token, s.expires_at "
                               "FROM auth_sessions s JOIN users u ON u.id = s.user_id "
                               "WHERE s.token_hash = :h AND s.expires_at > :t",
               soci::into(id), soci::into(email), soci::into(name), soci::into(role), soci::into(disabled),
               soci::into(created), soci::into(csrf), soci::into(expires), soci::use(hash), soci::use(at))) {}
    std::string hash;
    long long at = 0;
    long long id = 0, created = 0, expires = 0;
    int disabled = 0;
    std::string email, name, role, csrf;
    soci::statement find;
};

user row_user(const soci::row& r) {
    user u;
    u.id = as_int(r, 0);
    u.email = as_text(r, 1);
    u.name = as_text(r, 2);
    u.role = as_text(r, 3);
    u.disabled = static_cast<int>(as_int(r, 4)) != 0;
    u.created_at = from_ms(as_int(r, 5));
    return u;
}

}  // namespace

long long insert_user(connection& c, const user& u, const std::string& password_hash) {
    long long id = 0;
    long long created = to_ms(u.created_at);
    int disabled = u.disabled ? 1 : 0;
    c.sql << "INSERT INTO users (email, name, role, password_hash, disabled, created_at) "
             "VALUES (:e, :n, :r, :p, :d, :c) RETURNING id",
        soci::use(u.email), soci::use(u.name), soci::use(u.role), soci::use(password_hash), soci::use(disabled),
        soci::use(created), soci::into(id);
    return id;
}

std::optional<user_with_hash> find_user_by_email(connection& c, const std::string& email_norm) {
    soci::row r;
    c.sql << "SELECT id, email, name, role, disabled, created_at, password_hash FROM users WHERE email = :e",
        soci::use(email_norm), soci::into(r);
    if (!c.sql.got_data()) return std::nullopt;
    return user_with_hash{row_user(r), as_text(r, 6)};
}

std::optional<user> find_user(connection& c, long long id) {
    soci::row r;
    c.sql << "SELECT id, email, name, role, disabled, created_at FROM users WHERE id = :i", soci::use(id), soci::into(r);
    if (!c.sql.got_data()) return std::nullopt;
    return row_user(r);
}

std::vector<user> list_users(connection& c) {
    std::vector<user> out;
    soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT id, email, name, role, disabled, created_at FROM users ORDER BY id");
    for (const auto& r : rows) out.push_back(row_user(r));
    return out;
}

void update_user(connection& c, const user& u) {
    int disabled = u.disabled ? 1 : 0;
    c.sql << "UPDATE users SET name = :n, role = :r, disabled = :d WHERE id = :i", soci::use(u.name), soci::use(u.role),
        soci::use(disabled), soci::use(u.id);
}

void set_password_hash(connection& c, long long user_id, const std::string& hash) {
    c.sql << "UPDATE users SET password_hash = :h WHERE id = :i", soci::use(hash), soci::use(user_id);
}

void insert_session(connection& c, const std::string& token_hash, long long user_id, const std::string& csrf,
                    instant created, instant expires) {
    long long cr = to_ms(created), ex = to_ms(expires);
    c.sql << "INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (:h, :u, :c, :cr, :ex)",
        soci::use(token_hash), soci::use(user_id), soci::use(csrf), soci::use(cr), soci::use(ex);
}

std::optional<auth_session> find_session(connection& c, const std::string& token_hash, instant at) {
    auto& s = c.statements<session_statements>();
    s.hash = token_hash;
    s.at = to_ms(at);
    if (!fetch_single(s.find)) return std::nullopt;
    auth_session out;
    out.who = user{s.id, s.email, s.name, s.role, s.disabled != 0, from_ms(s.created)};
    out.csrf_token = s.csrf;
    out.expires_at = from_ms(s.expires);
    return out;
}

void delete_session(connection& c, const std::string& token_hash) {
    c.sql << "DELETE FROM auth_sessions WHERE token_hash = :h", soci::use(token_hash);
}

void delete_sessions_of(connection& c, long long user_id) {
    c.sql << "DELETE FROM auth_sessions WHERE user_id = :u", soci::use(user_id);
}

long long purge_expired_sessions(connection& c, instant at) {
    long long t = to_ms(at);
    soci::statement st = (c.sql.prepare << "DELETE FROM auth_sessions WHERE expires_at <= :t", soci::use(t));
    st.execute(true);
    return st.get_affected_rows();
}

}  // namespace ensemble::core::store
