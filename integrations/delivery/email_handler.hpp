// Sends email.* outbox rows: loads the registration and event, renders, hands to the provider.
#pragma once

#include "core/store/storage.hpp"
#include "integrations/delivery/dispatcher.hpp"
#include "integrations/delivery/rate_gate.hpp"
#include "integrations/mail/compose.hpp"
#include "integrations/mail/sender.hpp"

#include <memory>

namespace ensemble::integrations {

class email_handler final : public message_handler {
public:
    // `per_second` <= 0: no pacing beyond the worker count.
    email_handler(core::store::storage& store, std::shared_ptr<const template_set> templates, std::unique_ptr<mail_sender> sender,
                  mail_context ctx, double per_second);
    delivery_outcome handle(const core::outbox_message& m) override;

private:
    core::store::storage& store_;
    std::shared_ptr<const template_set> templates_;
    std::unique_ptr<mail_sender> sender_;
    mail_context ctx_;
    rate_gate gate_;
};

}  // namespace ensemble::integrations
