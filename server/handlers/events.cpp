// Events: public reading (cached briefly), and the organizer's create, edit, publish, cancel, duplicate.
#include "server/handlers/common.hpp"

#include "core/domain/event_json.hpp"
#include "core/services/events.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using core::store::connection;

namespace {

// Adds the texts in `lang` (falling back to the other language) for simple clients.
void add_display(nlohmann::json& j, const core::event_record& e, const std::string& lang) {
    if (lang != "en" && lang != "fr") return;
    j["display"] = {{"language", lang},
                    {"title", e.spec.title.in(lang)},
                    {"summary", e.spec.summary.in(lang)},
                    {"description_html", j["description_html"].value(lang, "").empty() ? j["description_html"].value(lang == "fr" ? "en" : "fr", "")
                                                                                        : j["description_html"].value(lang, "")}};
}

// The session when credentials were sent (ignoring bad ones for public reads).
asio::awaitable<std::optional<core::services::actor>> optional_actor(request_context& ctx) {
    bool from_cookie = false;
    if (credential_of(ctx.req, from_cookie).empty()) co_return std::nullopt;
    auto session = co_await authenticate(ctx);
    if (!session) co_return std::nullopt;
    co_return core::services::actor_of(session->who);
}

asio::awaitable<response> get_event(request_context& ctx) {
    std::string ref = ctx.param("id");
    std::string lang = ctx.query("lang");
    auto who = co_await optional_actor(ctx);
    std::string key = "event:" + ref + ":" + lang;
    if (!who) {
        if (auto cached = ctx.a.public_answers.get(key)) {
            auto res = json_response(ctx.req, status::ok, *cached);
            res.set(http::field::cache_control, "public, max-age=1");
            co_return res;
        }
    }
    auto generation = ctx.a.public_answers.generation();
    auto e_op = db_read(*ctx.a.store, [ref, who](connection& c) {
        return core::services::get_event(c, ref, who ? &*who : nullptr);
    });
    auto e = co_await std::move(e_op);
    if (!e) co_return error_response(ctx.req, e.error());
    bool organizer_view = false;
    if (who) {
        auto wh = *who;
        auto id = e->id;
        auto managed_op = db_read(*ctx.a.store, [wh, id](connection& c) { return core::services::managed_event(c, wh, std::to_string(id)); });
        auto managed = co_await std::move(managed_op);
        organizer_view = static_cast<bool>(managed);
    }
    auto j = core::event_to_json(*e, organizer_view ? core::event_view::organizer_view : core::event_view::public_view);
    add_display(j, *e, lang);
    auto body = std::make_shared<const std::string>(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!who) ctx.a.public_answers.put(key, body, generation);
    auto res = json_response(ctx.req, status::ok, *body);
    if (!who) res.set(http::field::cache_control, "public, max-age=1");
    co_return res;
}

asio::awaitable<response> list_events(request_context& ctx) {
    std::string scope_text = ctx.query("scope");
    std::string lang = ctx.query("lang");
    std::string upcoming = ctx.query("upcoming");
    std::string past = ctx.query("past");
    core::services::event_list_query q;
    std::optional<core::services::actor> who;
    if (scope_text == "managed") {
        auto session = co_await authenticate(ctx);
        if (!session) co_return error_response(ctx.req, session.error());
        who = core::services::actor_of(session->who);
        q.scope = core::store::event_scope::all_of_user;
    } else if (past == "true" || upcoming == "false") {
        q.scope = core::store::event_scope::published_past;
    } else if (!scope_text.empty()) {
        co_return error_response(ctx.req, core::invalid_field("scope", "must be managed or absent"));
    }
    std::string key = "list:" + std::to_string(static_cast<int>(q.scope)) + ":" + lang;
    if (!who) {
        if (auto cached = ctx.a.public_answers.get(key)) {
            auto res = json_response(ctx.req, status::ok, *cached);
            res.set(http::field::cache_control, "public, max-age=1");
            co_return res;
        }
    }
    auto generation = ctx.a.public_answers.generation();
    auto events_op = db_read(*ctx.a.store, [q, who](connection& c) { return core::services::list_events(c, q, who ? &*who : nullptr); });
    auto events = co_await std::move(events_op);
    if (!events) co_return error_response(ctx.req, events.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : *events) {
        auto j = core::event_to_json(e, who ? core::event_view::organizer_view : core::event_view::public_view);
        add_display(j, e, lang);
        list.push_back(std::move(j));
    }
    auto body = std::make_shared<const std::string>(nlohmann::json{{"events", list}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!who) ctx.a.public_answers.put(key, body, generation);
    co_return json_response(ctx.req, status::ok, *body);
}

asio::awaitable<response> create_event(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    auto spec = core::event_spec_from_json(*body);
    if (!spec) co_return error_response(ctx.req, spec.error());
    auto who = core::services::actor_of(session->who);
    auto created_op = db_write(*ctx.a.store, [who, s = std::move(*spec)](connection& c) { return core::services::create_event(c, who, s); });
    auto created = co_await std::move(created_op);
    if (!created) co_return error_response(ctx.req, created.error());
    ctx.a.event_changed(created->id);
    co_return json_response(ctx.req, status::created, core::event_to_json(*created, core::event_view::organizer_view));
}

asio::awaitable<response> patch_event(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    auto who = core::services::actor_of(session->who);
    auto changed_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), patch = std::move(*body)](connection& c) {
        return core::services::update_event(c, who, id, patch);
    });
    auto changed = co_await std::move(changed_op);
    if (!changed) co_return error_response(ctx.req, changed.error());
    ctx.a.event_changed(changed->event.id);
    if (changed->promoted > 0 || changed->recording_notices > 0 || changed->join_links > 0 || !changed->event.zoom_id.empty())
        ctx.a.wake_outbox();
    auto j = core::event_to_json(changed->event, core::event_view::organizer_view);
    j["promoted"] = changed->promoted;
    j["recording_notices"] = changed->recording_notices;
    co_return json_response(ctx.req, status::ok, j);
}

asio::awaitable<response> publish_event(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto e_op = db_write(*ctx.a.store, [who, id = ctx.param("id")](connection& c) { return core::services::publish_event(c, who, id); });
    auto e = co_await std::move(e_op);
    if (!e) co_return error_response(ctx.req, e.error());
    ctx.a.event_changed(e->id);
    ctx.a.wake_outbox();
    co_return json_response(ctx.req, status::ok, core::event_to_json(*e, core::event_view::organizer_view));
}

asio::awaitable<response> cancel_event(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto e_op = db_write(*ctx.a.store, [who, id = ctx.param("id")](connection& c) { return core::services::cancel_event(c, who, id); });
    auto e = co_await std::move(e_op);
    if (!e) co_return error_response(ctx.req, e.error());
    ctx.a.event_changed(e->event.id);
    ctx.a.wake_outbox();
    co_return json_response(ctx.req, status::ok, core::event_to_json(e->event, core::event_view::organizer_view));
}

asio::awaitable<response> duplicate_event(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto body = read_json(ctx, true);
    if (!body) co_return error_response(ctx.req, body.error());
    int days = 0;
    std::string slug;
    if (body->contains("shift_days")) {
        if (!(*body)["shift_days"].is_number_integer() || std::abs((*body)["shift_days"].get<long long>()) > 3660)
            co_return error_response(ctx.req, core::invalid_field("shift_days", "must be a whole number of days (at most 3660)"));
        days = (*body)["shift_days"].get<int>();
    } else {
        days = 364;  // the same weekday next year
    }
    if (body->contains("slug") && (*body)["slug"].is_string()) slug = (*body)["slug"].get<std::string>();
    auto who = core::services::actor_of(session->who);
    auto e_op = db_write(*ctx.a.store, [who, id = ctx.param("id"), days, slug](connection& c) {
        return core::services::duplicate_event(c, who, id, days, slug);
    });
    auto e = co_await std::move(e_op);
    if (!e) co_return error_response(ctx.req, e.error());
    co_return json_response(ctx.req, status::created, core::event_to_json(*e, core::event_view::organizer_view));
}

asio::awaitable<response> event_settings(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto s_op = db_read(*ctx.a.store, [who, id = ctx.param("id")](connection& c) { return core::services::event_settings(c, who, id); });
    auto s = co_await std::move(s_op);
    co_return answer_json(ctx.req, s);
}

}  // namespace

void add_event_routes(app& a) {
    a.routes.add(http::verb::get, "/api/v1/events", list_events);
    a.routes.add(http::verb::post, "/api/v1/events", create_event);
    a.routes.add(http::verb::get, "/api/v1/events/{id}", get_event);
    a.routes.add(http::verb::patch, "/api/v1/events/{id}", patch_event);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/publish", publish_event);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/cancel", cancel_event);
    a.routes.add(http::verb::post, "/api/v1/events/{id}/duplicate", duplicate_event);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/settings", event_settings);
}

}  // namespace ensemble::server
