// Carries out zoom.* outbox rows: meetings and webinars follow their event, registrants their seats.
#pragma once

#include "core/domain/event.hpp"
#include "core/store/storage.hpp"
#include "integrations/delivery/dispatcher.hpp"
#include "integrations/zoom/zoom_client.hpp"

#include <functional>
#include <memory>

namespace ensemble::integrations {

class zoom_handler final : public message_handler {
public:
    // `client` is null when Zoom is not configured: every row then fails, saying so. `wake` is
    // called when the work of a row made other rows due (registrants waiting for their meeting).
    zoom_handler(core::store::storage& store, std::shared_ptr<zoom_client> client, std::function<void()> wake);
    delivery_outcome handle(const core::outbox_message& m) override;

private:
    delivery_outcome create(const core::outbox_message& m);
    delivery_outcome update(const core::outbox_message& m);
    delivery_outcome remove(const core::outbox_message& m);
    delivery_outcome add_registrant(const core::outbox_message& m);
    delivery_outcome cancel_registrant(const core::outbox_message& m);

    core::store::storage& store_;
    std::shared_ptr<zoom_client> client_;
    std::function<void()> wake_;
};

// What Zoom is told about an event: topic, agenda, UTC start, duration, time zone.
zoom_session zoom_session_of(const core::event_record& e);

}  // namespace ensemble::integrations
