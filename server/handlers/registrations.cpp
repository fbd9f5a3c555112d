// Attendee endpoints: register, manage, cancel, switch, ticket images, calendar file, data, erasure.
#include "server/handlers/common.hpp"

#include "core/domain/event_json.hpp"
#include "core/security/crypto.hpp"
#include "core/services/registrations.hpp"
#include "core/services/roster.hpp"
#include "core/services/delivery.hpp"
#include "core/store/events_repo.hpp"
#include "integrations/calendar/registration_ics.hpp"
#include "integrations/mail/mime.hpp"
#include "integrations/qr/qr.hpp"

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using core::store::connection;

namespace {

core::failure rate_limited(int retry) {
    core::failure f = core::make_failure(core::errc::rate_limited, "Too many requests from your address; wait a little and try again.");
    f.retry_after = retry;
    return f;
}

asio::awaitable<response> register_attendee(request_context& ctx) {
    int retry = 0;
    if (!ctx.a.registration_by_ip.take(ctx.client_ip, retry)) co_return error_response(ctx.req, rate_limited(retry));
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    auto request = core::registration_request_from_json(*body);
    if (!request) co_return error_response(ctx.req, request.error());
    core::services::registration_command cmd;
    cmd.event_ref = ctx.param("id");
    cmd.request = std::move(*request);
    std::string_view key = ctx.req["Idempotency-Key"];
    if (!key.empty()) {
        if (key.size() > 200 || !core::is_clean_text(key))
            co_return error_response(ctx.req, core::invalid_field("Idempotency-Key", "must be at most 200 printable characters"));
        cmd.idempotency_key = std::string(key);
        cmd.request_hash = core::sha256_hex(ctx.req.body());
    }
    core::services::make_tokens(cmd);
    auto* events = &ctx.a.events;
    auto command = std::make_shared<const core::services::registration_command>(std::move(cmd));
    // Registrations for one event share its seat row: on PostgreSQL one writer batches them.
    std::size_t lane = std::hash<std::string>{}(command->event_ref);
    auto reply_op = db_write_keyed(*ctx.a.store, lane, [command, events](connection& c) {
        return core::services::register_attendee(c, *events, *command);
    });
    auto reply = co_await std::move(reply_op);
    if (!reply) co_return error_response(ctx.req, reply.error());
    if (!reply->replayed) {
        ctx.a.event_changed(reply->event_id);
        ctx.a.wake_outbox();
    }
    auto res = json_response(ctx.req, static_cast<status>(reply->status), reply->body);
    if (reply->replayed) res.set("Idempotent-Replayed", "true");
    co_return res;
}

asio::awaitable<response> view(request_context& ctx) {
    auto& events = ctx.a.events;
    auto j_op = db_read(*ctx.a.store, [token = ctx.param("token"), &events](connection& c) {
        return core::services::registration_view(c, events, token);
    });
    auto j = co_await std::move(j_op);
    if (!j) co_return error_response(ctx.req, j.error());
    (*j)["manage_url"] = ctx.a.manage_url(ctx.param("token"));
    co_return json_response(ctx.req, status::ok, *j);
}

asio::awaitable<response> cancel(request_context& ctx) {
    auto& events = ctx.a.events;
    auto change_op = db_write(*ctx.a.store, [token = ctx.param("token"), &events](connection& c) {
        return core::services::cancel_registration(c, events, token);
    });
    auto change = co_await std::move(change_op);
    if (!change) co_return error_response(ctx.req, change.error());
    ctx.a.event_changed(change->reg.event_id);
    ctx.a.wake_outbox();
    co_return json_response(ctx.req, status::ok, nlohmann::json{{"status", "cancelled"}, {"promoted", change->promoted}});
}

asio::awaitable<response> switch_mode(request_context& ctx) {
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    if (!body->is_object() || !body->contains("mode") || !(*body)["mode"].is_string())
        co_return error_response(ctx.req, core::invalid_field("mode", "is required: in_person or online"));
    auto& events = ctx.a.events;
    auto change_op = db_write(*ctx.a.store, [token = ctx.param("token"), m = (*body)["mode"].get<std::string>(), &events](connection& c) {
        return core::services::switch_mode(c, events, token, m);
    });
    auto change = co_await std::move(change_op);
    if (!change) co_return error_response(ctx.req, change.error());
    ctx.a.event_changed(change->reg.event_id);
    ctx.a.wake_outbox();
    co_return json_response(ctx.req, status::ok,
                            nlohmann::json{{"id", change->reg.id},
                                           {"status", core::status_name(change->reg.status)},
                                           {"mode", core::mode_name(change->reg.mode)},
                                           {"promoted", change->promoted}});
}

asio::awaitable<response> ticket(request_context& ctx, bool png) {
    auto r_op = db_read(*ctx.a.store, [token = ctx.param("token")](connection& c) { return core::services::find_by_manage_token(c, token); });
    auto r = co_await std::move(r_op);
    if (!r) co_return error_response(ctx.req, r.error());
    if (r->status == core::registration_status::cancelled)
        co_return error_response(ctx.req, core::make_failure(core::errc::conflict, "This registration was cancelled; its ticket is no longer valid."));
    std::string code = r->ticket_code;
    auto image_op = on_pool(ctx.a.cpu_pool, [code, png] { return png ? integrations::qr_png(code, 8) : integrations::qr_svg(code); });
    std::string image = co_await std::move(image_op);
    auto res = text_response(ctx.req, status::ok, std::move(image), png ? "image/png" : "image/svg+xml");
    res.set(http::field::cache_control, "private, no-store");
    co_return res;
}

asio::awaitable<response> calendar(request_context& ctx) {
    struct calendar_facts {
        core::event_record event;
        core::registration reg;
        core::services::join_details join;
    };
    auto* events = &ctx.a.events;
    auto facts_op = db_read(*ctx.a.store, [token = ctx.param("token"), events](connection& c) -> core::result<calendar_facts> {
        auto r = core::services::find_by_manage_token(c, token);
        if (!r) return r.error();
        auto head = core::store::find_event_head(c, r->event_id);
        if (!head) return core::not_found("No such event.");
        calendar_facts f{*events->get(c, *head), *r, {}};
        f.join = core::services::join_details_of(f.event, f.reg);
        return f;
    });
    auto facts = co_await std::move(facts_op);
    if (!facts) co_return error_response(ctx.req, facts.error());
    integrations::ics_context ics_ctx;
    ics_ctx.public_url = ctx.a.cfg.public_url;
    auto from = integrations::parse_mail_address(ctx.a.cfg.email.from);
    ics_ctx.organizer_name = from.name.empty() ? "Ensemble" : from.name;
    ics_ctx.organizer_email = from.email;
    ics_ctx.host = integrations::mail_domain(from.email);
    auto ics = integrations::registration_ics_event(facts->event, facts->reg, ics_ctx, facts->join.url, facts->join.passcode, core::now());
    auto res = text_response(ctx.req, status::ok, integrations::make_ics(ics), "text/calendar; charset=utf-8; method=PUBLISH");
    res.set(http::field::content_disposition, "attachment; filename=\"invite.ics\"");
    co_return res;
}

asio::awaitable<response> personal_data(request_context& ctx) {
    auto& events = ctx.a.events;
    auto j_op = db_read(*ctx.a.store, [token = ctx.param("token"), &events](connection& c) {
        return core::services::export_personal_data(c, events, token);
    });
    auto j = co_await std::move(j_op);
    if (!j) co_return error_response(ctx.req, j.error());
    auto res = json_response(ctx.req, status::ok, *j);
    res.set(http::field::content_disposition, "inline; filename=\"my-registration.json\"");
    co_return res;
}

asio::awaitable<response> erase(request_context& ctx) {
    auto& events = ctx.a.events;
    auto change_op = db_write(*ctx.a.store, [token = ctx.param("token"), &events](connection& c) {
        return core::services::erase_by_token(c, events, token);
    });
    auto change = co_await std::move(change_op);
    if (!change) co_return error_response(ctx.req, change.error());
    ctx.a.event_changed(change->reg.event_id);
    ctx.a.wake_outbox();
    co_return empty_response(ctx.req, status::no_content);
}

core::services::roster_query roster_query_of(request_context& ctx) {
    core::services::roster_query q;
    q.event_ref = ctx.param("id");
    q.status = ctx.query("status");
    q.mode = ctx.query("mode");
    q.q = ctx.query("q");
    std::string sort = ctx.query("sort");
    if (!sort.empty() && sort.front() == '-') {
        q.descending = true;
        sort.erase(0, 1);
    }
    if (!sort.empty()) q.sort = sort;
    return q;
}

asio::awaitable<response> organizer_roster(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto j_op = db_read(*ctx.a.store, [who, q = roster_query_of(ctx)](connection& c) { return core::services::roster(c, who, q); });
    auto j = co_await std::move(j_op);
    co_return answer_json(ctx.req, j);
}

asio::awaitable<response> roster_csv(request_context& ctx) {
    auto session = co_await authenticate(ctx);
    if (!session) co_return error_response(ctx.req, session.error());
    auto who = core::services::actor_of(session->who);
    auto csv_op = db_write(*ctx.a.store, [who, q = roster_query_of(ctx)](connection& c) { return core::services::roster_csv(c, who, q); });
    auto csv = co_await std::move(csv_op);
    if (!csv) co_return error_response(ctx.req, csv.error());
    auto res = text_response(ctx.req, status::ok, std::move(*csv), "text/csv; charset=utf-8");
    res.set(http::field::content_disposition, "attachment; filename=\"registrations-" + ctx.param("id") + ".csv\"");
    co_return res;
}

}  // namespace

void add_registration_routes(app& a) {
    a.routes.add(http::verb::post, "/api/v1/events/{id}/registrations", register_attendee);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/registrations", organizer_roster);
    a.routes.add(http::verb::get, "/api/v1/events/{id}/registrations.csv", roster_csv);
    a.routes.add(http::verb::get, "/api/v1/registrations/{token}", view);
    a.routes.add(http::verb::delete_, "/api/v1/registrations/{token}", erase);
    a.routes.add(http::verb::post, "/api/v1/registrations/{token}/cancel", cancel);
    a.routes.add(http::verb::post, "/api/v1/registrations/{token}/switch", switch_mode);
    a.routes.add(http::verb::get, "/api/v1/registrations/{token}/ticket.svg", [](request_context& ctx) { return ticket(ctx, false); });
    a.routes.add(http::verb::get, "/api/v1/registrations/{token}/ticket.png", [](request_context& ctx) { return ticket(ctx, true); });
    a.routes.add(http::verb::get, "/api/v1/registrations/{token}/calendar.ics", calendar);
    a.routes.add(http::verb::get, "/api/v1/registrations/{token}/data", personal_data);
}

}  // namespace ensemble::server
