// libFuzzer target: the Zoom webhook verifier and payload reader with hostile headers and bodies:
// a forged signature never passes, and reading a payload never crashes.
#include "integrations/zoom/webhook.hpp"

#include <cstdlib>

using namespace ensemble;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    // Split the input into signature, timestamp and body at the first two newlines.
    auto a = input.find('\n');
    auto b = a == std::string_view::npos ? a : input.find('\n', a + 1);
    std::string_view signature = input.substr(0, a);
    std::string_view timestamp = a == std::string_view::npos ? "" : input.substr(a + 1, b == std::string_view::npos ? b : b - a - 1);
    std::string_view body = b == std::string_view::npos ? "" : input.substr(b + 1);
    auto at = core::from_ms(1'800'000'000'000);
    const std::string secret = "webhook-secret";
    auto check = integrations::verify_webhook(secret, signature, timestamp, body, at);
    if (check == integrations::webhook_check::ok && signature != integrations::webhook_signature(secret, timestamp, body)) std::abort();
    // The true signature of this body and a fresh timestamp always passes.
    std::string fresh = "1800000000";
    if (integrations::verify_webhook(secret, integrations::webhook_signature(secret, fresh, body), fresh, body, at) != integrations::webhook_check::ok)
        std::abort();
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_discarded()) {
        auto p = integrations::read_participant_event(json);
        if (p && p->delivery_key.empty()) std::abort();
        if (json.is_object() && json.contains("payload") && json["payload"].is_object() && json["payload"].contains("plainToken") &&
            json["payload"]["plainToken"].is_string()) {
            auto answer = integrations::url_validation_answer(secret, json["payload"]["plainToken"].get<std::string>());
            if (answer["encryptedToken"].get<std::string>().size() != 64) std::abort();
        }
    }
    return 0;
}
