// Zoom webhook notifications: URL validation, signature check, participants joining and leaving.
#include "server/handlers/common.hpp"

#include "core/services/delivery.hpp"
#include "integrations/zoom/webhook.hpp"

#include <spdlog/spdlog.h>

namespace ensemble::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using core::store::connection;

namespace {

asio::awaitable<response> zoom_webhook(request_context& ctx) {
    const std::string& secret = ctx.a.cfg.zoom.webhook_secret;
    if (secret.empty())
        co_return error_response(ctx.req, core::make_failure(core::errc::not_found, "Zoom webhooks are not configured on this server."));
    std::string signature(ctx.req["x-zm-signature"]);
    std::string timestamp(ctx.req["x-zm-request-timestamp"]);
    // The signature covers the raw bytes as received, before any parsing.
    auto check = integrations::verify_webhook(secret, signature, timestamp, ctx.req.body(), core::now());
    if (check != integrations::webhook_check::ok) {
        spdlog::warn("zoom webhook refused from {}: {}", ctx.client_ip,
                     check == integrations::webhook_check::stale_timestamp ? "timestamp outside 5 minutes" : "bad or missing signature");
        co_return error_response(ctx.req, core::make_failure(core::errc::unauthenticated, "The webhook signature is not valid."));
    }
    auto body = read_json(ctx);
    if (!body) co_return error_response(ctx.req, body.error());
    std::string event = body->is_object() ? body->value("event", std::string()) : std::string();
    if (event == "endpoint.url_validation") {
        std::string plain;
        if (body->contains("payload") && (*body)["payload"].is_object()) plain = (*body)["payload"].value("plainToken", std::string());
        if (plain.empty()) co_return error_response(ctx.req, core::invalid_field("payload.plainToken", "is required"));
        co_return json_response(ctx.req, status::ok, integrations::url_validation_answer(secret, plain));
    }
    auto participant = integrations::read_participant_event(*body);
    if (!participant) co_return json_response(ctx.req, status::ok, nlohmann::json{{"recorded", false}});
    core::services::zoom_participant p{participant->zoom_id,   participant->registrant_id, participant->email,       participant->participant_key,
                                       participant->joined,    participant->at,            participant->delivery_key};
    auto recorded_op = db_write(*ctx.a.store, [p](connection& c) -> core::result<bool> { return core::services::record_zoom_participant(c, p); });
    auto recorded = co_await std::move(recorded_op);
    if (!recorded) co_return error_response(ctx.req, recorded.error());
    co_return json_response(ctx.req, status::ok, nlohmann::json{{"recorded", *recorded}});
}

}  // namespace

void add_integration_routes(app& a) { a.routes.add(http::verb::post, "/api/v1/integrations/zoom/webhook", zoom_webhook); }

}  // namespace ensemble::server
