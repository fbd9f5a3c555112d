// Delivery use cases; each runs inside one storage job (one transaction).
#include "core/services/delivery.hpp"

#include "core/domain/registration.hpp"
#include "core/store/delivery_repo.hpp"
#include "core/store/events_repo.hpp"
#include "core/store/outbox_repo.hpp"
#include "core/store/registrations_repo.hpp"

#include <algorithm>

namespace ensemble::core::services {

delivery_facts load_delivery_facts(store::connection& c, long long event_id, long long registration_id) {
    delivery_facts f;
    if (registration_id != 0) f.reg = store::find_registration(c, registration_id);
    long long eid = event_id != 0 ? event_id : f.reg ? f.reg->event_id : 0;
    if (eid != 0) {
        f.event = store::load_event(c, eid);
        if (f.event) store::load_seats(c, *f.event);
    }
    if (f.reg && f.reg->status == registration_status::waitlisted)
        f.waitlist_position = store::waitlist_position(c, f.reg->event_id, f.reg->mode, f.reg->id);
    return f;
}

join_details join_details_of(const event_record& e, const registration& r) {
    join_details d;
    if (r.status != registration_status::confirmed || r.mode != mode::online || e.status != "published" || r.erased_at) return d;
    const auto& online = e.spec.online;
    if (online.provider == "zoom") d.url = r.join_url;
    else if (online.provider == "manual") d.url = online.join_url;
    if (!d.url.empty()) d.passcode = online.passcode;
    return d;
}

bool record_zoom_registrant(store::connection& c, long long registration_id, const std::string& registrant_id, const std::string& join_url) {
    auto r = store::find_registration(c, registration_id);
    if (!r) return false;
    store::set_zoom_registrant(c, registration_id, registrant_id, join_url);
    if (join_url.empty() || r->status != registration_status::confirmed || r->mode != mode::online) return false;
    std::string confirmation = store::latest_status_of(c, registration_id, {message_kind::confirmation, message_kind::promoted, message_kind::switched});
    // A pending confirmation is rendered when sent, with the link; one already out needs a follow-up.
    if (confirmation.empty() || confirmation == "pending") return false;
    auto at = now();
    outbox_message m;
    m.kind = message_kind::join_link;
    m.event_id = r->event_id;
    m.registration_id = r->id;
    m.recipient = r->email;
    m.payload = {{"registration_id", r->id}, {"event_id", r->event_id}};
    m.next_attempt_at = at;
    m.created_at = at;
    m.dedupe_key = "join_link:" + std::to_string(r->id) + ":" + registrant_id;
    return store::enqueue(c, m) > 0;
}

void record_zoom_meeting(store::connection& c, long long event_id, const std::string& zoom_id) {
    store::set_event_zoom_id(c, event_id, zoom_id);
    store::make_due_now(c, event_id, message_kind::zoom_add_registrant, now());
}

long long plan_reminders(store::connection& c, const std::vector<int>& offsets_minutes, instant at) {
    if (offsets_minutes.empty()) return 0;
    int widest = *std::max_element(offsets_minutes.begin(), offsets_minutes.end());
    long long queued = 0;
    for (const auto& [event_id, starts_at] : store::published_events_starting(c, at, at + std::chrono::minutes(widest))) {
        std::vector<int> due;
        for (int m : offsets_minutes)
            if (starts_at - std::chrono::minutes(m) <= at) due.push_back(m);
        if (due.empty()) continue;
        int nearest = *std::min_element(due.begin(), due.end());
        for (int m : due) {
            if (store::reminder_ran(c, event_id, m, starts_at)) continue;
            long long messages = 0;
            if (m == nearest) {
                store::registration_filter filter;
                filter.event_id = event_id;
                filter.status = "confirmed";
                for (const auto& r : store::list_registrations(c, filter)) {
                    outbox_message msg;
                    msg.kind = message_kind::reminder;
                    msg.event_id = event_id;
                    msg.registration_id = r.id;
                    msg.recipient = r.email;
                    msg.payload = {{"registration_id", r.id}, {"event_id", event_id}, {"minutes_before", m}, {"starts_at", to_ms(starts_at)}};
                    msg.next_attempt_at = at;
                    msg.created_at = at;
                    msg.dedupe_key = "reminder:" + std::to_string(r.id) + ":" + std::to_string(m) + ":" + std::to_string(to_ms(starts_at));
                    messages += store::enqueue(c, msg);
                }
            }
            store::record_reminder_run(c, event_id, m, starts_at, at, messages);
            queued += messages;
        }
    }
    return queued;
}

bool record_zoom_participant(store::connection& c, const zoom_participant& p) {
    auto event_id = store::event_by_zoom_id(c, p.zoom_id);
    if (!event_id) return false;
    store::attendance_mark m;
    m.event_id = *event_id;
    m.registration_id = store::registration_by_zoom_participant(c, *event_id, p.registrant_id, normalize_email(p.email));
    m.participant_key = p.participant_key;
    m.joined = p.joined;
    m.at = p.at;
    m.delivery_key = p.delivery_key;
    return store::record_attendance(c, m);
}

nlohmann::json outbox_message_json(const outbox_message& m) {
    bool in_flight = m.status == "sending";
    nlohmann::json j = {{"id", m.id},
                        {"kind", m.kind},
                        {"channel", m.channel},
                        {"event_id", m.event_id ? nlohmann::json(m.event_id) : nlohmann::json(nullptr)},
                        {"registration_id", m.registration_id ? nlohmann::json(m.registration_id) : nlohmann::json(nullptr)},
                        {"recipient", m.recipient},
                        {"status", in_flight ? "pending" : m.status},
                        {"in_flight", in_flight},
                        {"attempts", m.attempts},
                        {"last_error", m.last_error},
                        {"next_attempt_at", m.status == "pending" || in_flight ? nlohmann::json(format_utc(m.next_attempt_at)) : nlohmann::json(nullptr)},
                        {"created_at", format_utc(m.created_at)},
                        {"sent_at", m.sent_at ? nlohmann::json(format_utc(*m.sent_at)) : nlohmann::json(nullptr)}};
    return j;
}

namespace {

std::vector<long long> visible_events(store::connection& c, const actor& who, bool& all) {
    all = who.is_admin();
    if (all) return {};
    store::event_query q;
    q.scope = store::event_scope::all_of_user;
    q.user_id = who.user_id;
    q.limit = 100000;
    q.at = now();
    return store::list_event_ids(c, q);
}

}  // namespace

result<nlohmann::json> list_outbox_messages(store::connection& c, const actor& who, const std::string& status, const std::string& event_ref) {
    static const std::vector<std::string> statuses = {"", "pending", "sent", "failed", "cancelled"};
    if (std::find(statuses.begin(), statuses.end(), status) == statuses.end())
        return invalid_field("status", "must be pending, sent, failed or cancelled");
    store::outbox_filter f;
    if (!event_ref.empty()) {
        auto head = managed_event(c, who, event_ref);
        if (!head) return head.error();
        f.event_ids = {head->id};
    } else {
        f.event_ids = visible_events(c, who, f.all_events);
    }
    std::vector<outbox_message> rows;
    if (status == "pending") {
        f.status = "pending";
        rows = store::list_outbox(c, f);
        f.status = "sending";
        auto sending = store::list_outbox(c, f);
        rows.insert(rows.end(), sending.begin(), sending.end());
        std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
        if (rows.size() > f.limit) rows.resize(f.limit);
    } else {
        f.status = status;
        rows = store::list_outbox(c, f);
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : rows) list.push_back(outbox_message_json(m));
    return result<nlohmann::json>{boost::system::in_place_value, nlohmann::json{{"messages", std::move(list)}}};
}

result<nlohmann::json> retry_outbox_message(store::connection& c, const actor& who, long long id) {
    auto m = store::find_message(c, id);
    if (!m) return not_found("No such message.");
    if (!who.is_admin()) {
        if (m->event_id == 0) return not_found("No such message.");
        auto head = managed_event(c, who, std::to_string(m->event_id));
        if (!head) return not_found("No such message.");
    }
    if (m->status == "sent") return make_failure(errc::conflict, "This message was already sent.");
    if (m->status == "cancelled") return make_failure(errc::conflict, "This message was cancelled because it was no longer needed.");
    if (m->status == "failed" || m->status == "pending") store::retry_now(c, id, now());
    auto after = store::find_message(c, id);
    if (!after) return not_found("No such message.");
    audit(c, who, "outbox.retry", after->event_id, std::to_string(id), after->kind);
    return result<nlohmann::json>{boost::system::in_place_value, outbox_message_json(*after)};
}

result<nlohmann::json> retry_failed_of_event(store::connection& c, const actor& who, std::string_view event_ref) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    store::outbox_filter f;
    f.event_ids = {head->id};
    f.status = "failed";
    f.limit = 100000;
    long long n = 0;
    auto at = now();
    for (const auto& m : store::list_outbox(c, f))
        if (store::retry_now(c, m.id, at)) ++n;
    if (n > 0) audit(c, who, "outbox.retry_event", head->id, std::to_string(n), "");
    return result<nlohmann::json>{boost::system::in_place_value, nlohmann::json{{"retried", n}}};
}

}  // namespace ensemble::core::services
