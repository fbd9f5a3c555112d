// Each Zoom row checks the current state first, so a retry never does the work twice.
#include "integrations/delivery/zoom_handler.hpp"
#include "integrations/json_text.hpp"

#include "core/services/delivery.hpp"
#include "core/store/outbox_repo.hpp"

namespace ensemble::integrations {
namespace {

using core::services::delivery_facts;

bool wants_zoom(const core::event_record& e) { return e.spec.online.provider == "zoom" && e.spec.format != "in_person"; }

}  // namespace

zoom_session zoom_session_of(const core::event_record& e) {
    zoom_session s;
    s.type = e.spec.online.zoom_type == "webinar" ? "webinar" : "meeting";
    s.topic = e.spec.title.in("en");
    s.agenda = e.spec.summary.in("en");
    s.start_time_utc = core::format_utc(std::chrono::floor<std::chrono::seconds>(e.spec.starts_at));
    auto minutes = std::chrono::duration_cast<std::chrono::minutes>(e.spec.ends_at - e.spec.starts_at).count();
    s.duration_minutes = static_cast<int>(std::max<long long>(1, minutes));
    s.timezone = e.spec.timezone;
    return s;
}

zoom_handler::zoom_handler(core::store::storage& store, std::shared_ptr<zoom_client> client, std::function<void()> wake)
    : store_(store), client_(std::move(client)), wake_(std::move(wake)) {}

delivery_outcome zoom_handler::handle(const core::outbox_message& m) {
    if (!client_)
        return delivery_outcome::give_up("Zoom is not configured: set ENSEMBLE_ZOOM_ACCOUNT_ID, ENSEMBLE_ZOOM_CLIENT_ID and "
                                         "ENSEMBLE_ZOOM_CLIENT_SECRET, then retry");
    if (m.kind == core::message_kind::zoom_create) return create(m);
    if (m.kind == core::message_kind::zoom_update) return update(m);
    if (m.kind == core::message_kind::zoom_delete) return remove(m);
    if (m.kind == core::message_kind::zoom_add_registrant) return add_registrant(m);
    if (m.kind == core::message_kind::zoom_cancel_registrant) return cancel_registrant(m);
    return delivery_outcome::give_up("unknown Zoom message kind " + m.kind);
}

namespace {

core::result<delivery_facts> load(core::store::storage& store, long long event_id, long long registration_id) {
    return store.read_now([event_id, registration_id](core::store::connection& c) -> core::result<delivery_facts> {
        return core::services::load_delivery_facts(c, event_id, registration_id);
    });
}

long long event_of(const core::outbox_message& m) { return m.event_id ? m.event_id : m.payload.value("event_id", 0LL); }
long long registration_of(const core::outbox_message& m) {
    return m.payload.value("registration_id", 0LL) ? m.payload.value("registration_id", 0LL) : m.registration_id;
}

}  // namespace

delivery_outcome zoom_handler::create(const core::outbox_message& m) {
    auto f = load(store_, event_of(m), 0);
    if (!f) return delivery_outcome::retry("database: " + f.error().message);
    if (!f->event) return delivery_outcome::skip("the event no longer exists");
    const auto& e = *f->event;
    if (!e.zoom_id.empty()) return delivery_outcome::done();
    if (e.status != "published") return delivery_outcome::skip("the event is " + e.status);
    if (!wants_zoom(e)) return delivery_outcome::skip("the event no longer uses Zoom");
    zoom_created created;
    auto outcome = client_->create(zoom_session_of(e), created);
    if (outcome.what != delivery_outcome::kind::done) return outcome;
    long long id = e.id;
    std::string zoom_id = created.id;
    auto stored = store_.write_now([id, zoom_id](core::store::connection& c) -> core::result<bool> {
        core::services::record_zoom_meeting(c, id, zoom_id);
        return true;
    });
    if (!stored) return delivery_outcome::retry("database: " + stored.error().message);
    wake_();
    return delivery_outcome::done();
}

delivery_outcome zoom_handler::update(const core::outbox_message& m) {
    auto f = load(store_, event_of(m), 0);
    if (!f) return delivery_outcome::retry("database: " + f.error().message);
    if (!f->event) return delivery_outcome::skip("the event no longer exists");
    const auto& e = *f->event;
    if (e.status == "cancelled") return delivery_outcome::skip("the event was cancelled");
    if (e.zoom_id.empty()) return delivery_outcome::skip("the event has no Zoom meeting yet; it is created with the current details");
    auto s = zoom_session_of(e);
    return client_->update(s.type, e.zoom_id, s);
}

delivery_outcome zoom_handler::remove(const core::outbox_message& m) {
    std::string zoom_id = json_text(m.payload, "zoom_id");
    std::string type = json_text(m.payload, "zoom_type");
    if (zoom_id.empty()) return delivery_outcome::skip("no Zoom meeting to delete");
    return client_->remove(type == "webinar" ? "webinar" : "meeting", zoom_id);
}

delivery_outcome zoom_handler::add_registrant(const core::outbox_message& m) {
    auto f = load(store_, event_of(m), registration_of(m));
    if (!f) return delivery_outcome::retry("database: " + f.error().message);
    if (!f->event || !f->reg || f->reg->erased_at) return delivery_outcome::skip("the registration no longer exists");
    const auto& e = *f->event;
    const auto& r = *f->reg;
    if (e.status == "cancelled") return delivery_outcome::skip("the event was cancelled");
    if (r.status != core::registration_status::confirmed || r.mode != core::mode::online)
        return delivery_outcome::skip("no longer a confirmed online seat");
    if (!wants_zoom(e)) return delivery_outcome::skip("the event no longer uses Zoom");
    if (!r.zoom_registrant_id.empty()) return delivery_outcome::done();
    if (e.zoom_id.empty()) return delivery_outcome::defer("waiting for the Zoom meeting to be created", core::now() + std::chrono::seconds(30));
    std::string first = r.name, last;
    auto space = r.name.find(' ');
    if (space != std::string::npos) {
        first = r.name.substr(0, space);
        last = r.name.substr(space + 1);
    }
    zoom_registrant added;
    std::string type = e.spec.online.zoom_type == "webinar" ? "webinar" : "meeting";
    auto outcome = client_->add_registrant(type, e.zoom_id, r.email, first, last, r.language, added);
    if (outcome.what != delivery_outcome::kind::done) return outcome;
    long long rid = r.id;
    auto queued = store_.write_now([rid, added](core::store::connection& c) -> core::result<bool> {
        return core::services::record_zoom_registrant(c, rid, added.registrant_id, added.join_url);
    });
    if (!queued) return delivery_outcome::retry("database: " + queued.error().message);
    if (*queued) wake_();
    return delivery_outcome::done();
}

delivery_outcome zoom_handler::cancel_registrant(const core::outbox_message& m) {
    long long registration_id = m.payload.value("registration_id", 0LL);
    auto f = load(store_, event_of(m), registration_id);
    if (!f) return delivery_outcome::retry("database: " + f.error().message);
    std::string zoom_id = f->event ? f->event->zoom_id : std::string();
    if (zoom_id.empty()) return delivery_outcome::skip("the event has no Zoom meeting");
    std::string type = f->event->spec.online.zoom_type == "webinar" ? "webinar" : "meeting";
    std::string registrant_id = json_text(m.payload, "registrant_id");
    std::string email = json_text(m.payload, "email");
    if (registrant_id.empty() && registration_id != 0) {
        // The seat was given up before Zoom had answered: wait for an add in flight to finish, then
        // cancel the registrant it stored (unless the seat is online again).
        auto adding = store_.read_now([registration_id](core::store::connection& c) -> core::result<std::string> {
            return core::store::latest_status_of(c, registration_id, {core::message_kind::zoom_add_registrant});
        });
        if (!adding) return delivery_outcome::retry("database: " + adding.error().message);
        if (*adding == "sending") return delivery_outcome::defer("waiting for the registrant being added", core::now() + std::chrono::seconds(5));
        const auto& r = f->reg;
        bool online_again = r && r->status == core::registration_status::confirmed && r->mode == core::mode::online;
        if (r && !online_again) registrant_id = r->zoom_registrant_id;
    }
    if (email.empty() && registrant_id.empty()) return delivery_outcome::skip("nobody to cancel");
    return client_->cancel_registrant(type, zoom_id, registrant_id, email);
}

}  // namespace ensemble::integrations
