// libFuzzer target: every JSON command's parsing and validation (events, registrations against a
// fixed event), which must answer with a value or a field error, never crash.
#include "core/domain/event_json.hpp"
#include "core/domain/registration.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

using namespace ensemble;

namespace {

core::event_record fixed_event() {
    auto spec = core::event_spec_from_json(nlohmann::json::parse(R"({"title":{"en":"T"},"format":"hybrid","timezone":"America/Halifax",
      "starts_at":"2030-06-26T09:00:00","ends_at":"2030-06-26T12:00:00","venue":{"name":"ISANS"},
      "capacity":{"in_person":40,"online":150},
      "questions":[{"id":"p","label":{"en":"P"},"type":"choice","required":true,"options":[{"id":"a","label":{"en":"A"}}]},
      {"id":"m","label":{"en":"M"},"type":"multi","options":[{"id":"x","label":{"en":"X"}},{"id":"y","label":{"en":"Y"}}]},
      {"id":"b","label":{"en":"B"},"type":"boolean"},{"id":"t","label":{"en":"T"},"type":"text","required":true}]})"));
    core::event_record e;
    e.id = 1;
    e.status = "published";
    e.spec = *spec;
    return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const core::event_record event = fixed_event();
    auto body = nlohmann::json::parse(data, data + size, nullptr, false);
    if (body.is_discarded()) return 0;
    auto spec = core::event_spec_from_json(body);
    if (spec) {
        // A spec that validates survives a round trip through its own JSON.
        auto again = core::event_spec_from_json(core::event_spec_to_json(*spec));
        if (!again) std::abort();
        core::event_record e;
        e.spec = *spec;
        auto pub = core::event_to_json(e, core::event_view::public_view);
        if (pub["online"].contains("join_url") || pub["online"].contains("passcode")) std::abort();
    } else if (spec.error().code == core::errc::validation && spec.error().fields.empty()) {
        std::abort();  // a validation failure always names a field
    }
    auto request = core::registration_request_from_json(body);
    if (request) {
        auto checked = core::check_registration(event, *request, core::from_ms(1'800'000'000'000));
        if (checked) {
            if (checked->email_norm.empty() || checked->name.empty()) std::abort();
            if (!core::is_clean_text(checked->name)) std::abort();
        }
    }
    return 0;
}
