// Login, logout, the current account, and account administration for admins.
#include "server/handlers/common.hpp"

#include "core/security/crypto.hpp"
#include "core/domain/registration.hpp"
#include "core/services/accounts.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using core::store::connection;

namespace {

nlohmann::json user_json(const core::user& u) {
    return {{"id", u.id}, {"email", u.email}, {"name", u.name}, {"role", u.role}, {"disabled", u.disabled}};
}

std::string cookie_for(const app& a, const std::string& token, long long max_age) {
    std::string c = std::string(session_cookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
    if (a.cfg.secure_cookies()) c += "; Secure";
    return c;
}

asio::awaitable<response> login(request_context& ctx) {
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    if (!body->is_object()) co_return error_response(ctx.req, core::invalid_field("body", "must be a JSON object"));
    std::string email, password;
    core::field_errors errors;
    if (auto it = body->find("email"); it != body->end() && it->is_string()) email = core::normalize_email(it->get<std::string>());
    else errors["email"] = "is required";
    if (auto it = body->find("password"); it != body->end() && it->is_string()) password = it->get<std::string>();
    else errors["password"] = "is required";
    if (!errors.empty()) co_return error_response(ctx.req, core::invalid(errors));
    if (email.size() > 254 || password.size() > 1024)
        co_return error_response(ctx.req, core::make_failure(core::errc::unauthenticated, "Wrong email or password."));

    int retry = 0;
    if (!ctx.a.login_by_ip.take(ctx.client_ip, retry) || !ctx.a.login_by_account.take(email, retry)) {
        core::failure f = core::make_failure(core::errc::rate_limited, "Too many login attempts; wait a little and try again.");
        f.retry_after = retry;
        co_return error_response(ctx.req, f);
    }
    auto found_op = db_read(*ctx.a.store, [email](connection& c) { return core::services::find_login(c, email); });
    auto found = co_await std::move(found_op);
    auto ok_op = on_pool(ctx.a.cpu_pool, [found, password]() {
        if (found) return core::verify_password(found->password_hash, password);
        core::waste_password_time(password);
        return false;
    });
    bool ok = co_await std::move(ok_op);
    if (!ok) co_return error_response(ctx.req, core::make_failure(core::errc::unauthenticated, "Wrong email or password."));
    ctx.a.login_by_account.reset(email);
    auto who = found->who;
    auto ttl = std::chrono::hours(ctx.a.cfg.session_ttl_hours);
    auto session_op = db_write(*ctx.a.store, [who, ttl](connection& c) { return core::services::open_session(c, who, ttl); });
    auto session = co_await std::move(session_op);
    if (!session) co_return error_response(ctx.req, session.error());
    auto res = json_response(ctx.req, status::ok,
                             nlohmann::json{{"token", session->token}, {"csrf_token", session->csrf_token}, {"user", user_json(who)},
                                            {"expires_at", core::format_utc(session->expires_at)}});
    res.set(http::field::set_cookie, cookie_for(ctx.a, session->token, ctx.a.cfg.session_ttl_hours * 3600LL));
    co_return res;
}

asio::awaitable<response> logout(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    bool from_cookie = false;
    std::string token = credential_of(ctx.req, from_cookie);
    auto ignored_op = db_write(*ctx.a.store, [token](connection& c) { return core::services::close_session(c, token); });
    co_await std::move(ignored_op);
    auto res = empty_response(ctx.req, status::no_content);
    res.set(http::field::set_cookie, cookie_for(ctx.a, "", 0));
    co_return res;
}

asio::awaitable<response> me(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = user_json(session->who);
    body["csrf_token"] = session->csrf_token;
    co_return json_response(ctx.req, status::ok, body);
}

asio::awaitable<response> list_users(request_context& ctx) {
    auto session = co_await authenticate_admin(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto users_op = db_read(*ctx.a.store, [](connection& c) -> core::result<std::vector<core::user>> { return core::store::list_users(c); });
    auto users = co_await std::move(users_op);
    if (!users) co_return error_response(ctx.req, users.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& u : *users) list.push_back(user_json(u));
    co_return json_response(ctx.req, status::ok, nlohmann::json{{"users", list}});
}

asio::awaitable<response> create_user(request_context& ctx) {
    auto session = co_await authenticate_admin(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    core::services::new_user u;
    auto str = [&](const char* k) { return body->contains(k) && (*body)[k].is_string() ? (*body)[k].get<std::string>() : std::string(); };
    u.email = str("email");
    u.name = str("name");
    u.role = str("role");
    u.password = str("password");
    auto errors = core::services::validate_new_user(u);
    if (!errors.empty()) co_return error_response(ctx.req, core::invalid(errors));
    auto hash_op = on_pool(ctx.a.cpu_pool, [pw = u.password] { return core::hash_password(pw); });
    std::string hash = co_await std::move(hash_op);
    auto actor = core::services::actor_of(session->who);
    auto created_op = db_write(*ctx.a.store, [u, hash, actor](connection& c) {
        auto r = core::services::create_user(c, u, hash);
        if (r) core::services::audit(c, actor, "user.create", 0, r->email, "role " + r->role);
        return r;
    });
    auto created = co_await std::move(created_op);
    if (!created) co_return error_response(ctx.req, created.error());
    co_return json_response(ctx.req, status::created, user_json(*created));
}

asio::awaitable<response> update_user(request_context& ctx) {
    auto session = co_await authenticate_admin(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    long long id = std::atoll(ctx.param("id").c_str());
    auto patch = *body;
    auto actor = core::services::actor_of(session->who);
    auto updated_op = db_write(*ctx.a.store, [id, patch, actor](connection& c) -> core::result<core::user> {
        auto u = core::store::find_user(c, id);
        if (!u) return core::not_found("No such account.");
        core::field_errors errors;
        std::string before = u->role;
        if (patch.contains("role")) {
            if (!patch["role"].is_string() || !core::is_valid_role(patch["role"].get<std::string>())) errors["role"] = "must be admin or organizer";
            else u->role = patch["role"].get<std::string>();
        }
        if (patch.contains("name")) {
            if (!patch["name"].is_string() || core::trim(patch["name"].get<std::string>()).empty()) errors["name"] = "must be a non-empty string";
            else u->name = core::trim(patch["name"].get<std::string>());
        }
        if (patch.contains("disabled")) {
            if (!patch["disabled"].is_boolean()) errors["disabled"] = "must be true or false";
            else u->disabled = patch["disabled"].get<bool>();
        }
        if (!errors.empty()) return core::invalid(errors);
        if (u->id == actor.user_id && (u->role != "admin" || u->disabled))
            return core::make_failure(core::errc::conflict, "You cannot remove your own admin rights or disable yourself.");
        core::store::update_user(c, *u);
        if (u->disabled) core::store::delete_sessions_of(c, u->id);
        if (before != u->role) core::services::audit(c, actor, "user.role", 0, u->email, before + " -> " + u->role);
        if (patch.contains("disabled")) core::services::audit(c, actor, u->disabled ? "user.disable" : "user.enable", 0, u->email, "");
        return *u;
    });
    auto updated = co_await std::move(updated_op);
    if (!updated) co_return error_response(ctx.req, updated.error());
    co_return json_response(ctx.req, status::ok, user_json(*updated));
}

}  // namespace

void add_account_routes(app& a) {
    a.routes.add(http::verb::post, "/api/v1/auth/login", login);
    a.routes.add(http::verb::post, "/api/v1/auth/logout", logout);
    a.routes.add(http::verb::get, "/api/v1/auth/me", me);
    a.routes.add(http::verb::get, "/api/v1/users", list_users);
    a.routes.add(http::verb::post, "/api/v1/users", create_user);
    a.routes.add(http::verb::patch, "/api/v1/users/{id}", update_user);
}

}  // namespace ensemble::server
