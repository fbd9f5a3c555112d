// One email row: still due? render it at send time, send it with its fixed Message-ID.
#include "integrations/delivery/email_handler.hpp"

namespace ensemble::integrations {

email_handler::email_handler(core::store::storage& store, std::shared_ptr<const template_set> templates, std::unique_ptr<mail_sender> sender,
                             mail_context ctx, double per_second)
    : store_(store), templates_(std::move(templates)), sender_(std::move(sender)), ctx_(std::move(ctx)), gate_(per_second) {}

delivery_outcome email_handler::handle(const core::outbox_message& m) {
    long long registration_id = m.registration_id ? m.registration_id : m.payload.value("registration_id", 0LL);
    long long event_id = m.event_id ? m.event_id : m.payload.value("event_id", 0LL);
    auto facts = store_.read_now([event_id, registration_id](core::store::connection& c) -> core::result<core::services::delivery_facts> {
        return core::services::load_delivery_facts(c, event_id, registration_id);
    });
    if (!facts) return delivery_outcome::retry("database: " + facts.error().message);
    mail_row row{m.id, m.kind, m.payload, m.created_at};
    auto at = core::now();
    if (auto why = stale_reason(row, *facts, at)) return delivery_outcome::skip(*why);
    email_message message = compose_email(*templates_, row, *facts, ctx_, at);
    gate_.wait();
    return sender_->send(message);
}

}  // namespace ensemble::integrations
