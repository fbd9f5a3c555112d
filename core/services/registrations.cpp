// Registration use cases; each runs in the caller's (writer's) transaction.
#include "core/services/registrations.hpp"
#include "core/store/row.hpp"

#include "core/domain/event_json.hpp"
#include "core/domain/outbox.hpp"
#include "core/security/crypto.hpp"
#include "core/store/outbox_repo.hpp"
#include "core/store/registrations_repo.hpp"

namespace ensemble::core::services {
namespace {

constexpr std::size_t ticket_bytes = 16;  // 128 bits
constexpr std::size_t manage_bytes = 24;  // 192 bits

void queue_email(store::connection& c, const registration& r, const char* kind, instant due, nlohmann::json extra = nullptr) {
    outbox_message m;
    m.kind = kind;
    m.event_id = r.event_id;
    m.registration_id = r.id;
    m.recipient = r.email;
    m.payload = {{"registration_id", r.id}, {"event_id", r.event_id}};
    if (extra.is_object())
        for (auto it = extra.begin(); it != extra.end(); ++it) m.payload[it.key()] = it.value();
    m.next_attempt_at = due;
    m.created_at = now();
    store::enqueue(c, m);
}

void queue_zoom_cancel(store::connection& c, const event_record& e, const registration& r, bool link_to_registration) {
    if (e.spec.online.provider != "zoom") return;
    outbox_message m;
    m.kind = message_kind::zoom_cancel_registrant;
    m.event_id = e.id;
    m.registration_id = link_to_registration ? r.id : 0;
    m.recipient = link_to_registration ? r.email : "";
    m.payload = {{"event_id", e.id}, {"registration_id", r.id}, {"registrant_id", r.zoom_registrant_id}, {"email", r.email}};
    m.next_attempt_at = now();
    m.created_at = now();
    store::enqueue(c, m);
}

result<registration> by_token(store::connection& c, const std::string& token) {
    if (token.empty() || token.size() > 100) return not_found("No such registration.");
    auto r = store::find_by_manage_token(c, token);
    if (!r || !constant_time_equal(r->manage_token, token) || r->erased_at) return not_found("No such registration.");
    return *r;
}

std::shared_ptr<const event_record> event_of(store::connection& c, event_cache& events, long long event_id) {
    auto head = store::find_event_head(c, event_id);
    if (!head) throw std::runtime_error("registration without event");
    return events.get(c, *head);
}

// The answer to a new registration, written out directly: it is made on the writer for every
// registration, and every value is a number or ASCII from a fixed alphabet (status and mode names,
// URL-safe tokens), so nothing needs escaping. nlohmann::json took 3 us of the writer's 40.
std::string created_body(const registration& r, long long waitlist_position) {
    std::string out;
    out.reserve(200);
    out += "{\"id\":";
    out += std::to_string(r.id);
    out += ",\"event_id\":";
    out += std::to_string(r.event_id);
    out += ",\"status\":\"";
    out += status_name(r.status);
    out += "\",\"mode\":\"";
    out += mode_name(r.mode);
    out += "\",\"ticket_code\":\"";
    out += r.ticket_code;
    out += "\",\"manage_token\":\"";
    out += r.manage_token;
    out += '"';
    if (waitlist_position > 0) {
        out += ",\"waitlist_position\":";
        out += std::to_string(waitlist_position);
    }
    out += '}';
    return out;
}

}  // namespace

void queue_seat_messages(store::connection& c, const event_record& e, const registration& r, const char* email_kind) {
    bool zoom_online = r.mode == mode::online && e.spec.online.provider == "zoom";
    auto at = now();
    if (zoom_online) {
        outbox_message z;
        z.kind = message_kind::zoom_add_registrant;
        z.event_id = e.id;
        z.registration_id = r.id;
        z.recipient = r.email;
        z.payload = {{"registration_id", r.id}, {"event_id", e.id}};
        z.next_attempt_at = at;
        z.created_at = at;
        store::enqueue(c, z);
    }
    // Give Zoom a moment to answer, so the first email usually carries the personal join link.
    queue_email(c, r, email_kind, zoom_online ? at + std::chrono::seconds(5) : at);
}

void make_tokens(registration_command& cmd) {
    cmd.ticket_code = time_ordered_token(ticket_bytes);
    cmd.manage_token = time_ordered_token(manage_bytes);
}

nlohmann::json registration_to_json(const registration& r, long long waitlist_position) {
    nlohmann::json j = {{"id", r.id},
                        {"event_id", r.event_id},
                        {"status", status_name(r.status)},
                        {"mode", mode_name(r.mode)},
                        {"name", r.name},
                        {"email", r.email},
                        {"language", r.language},
                        {"answers", r.answers},
                        {"ticket_code", r.ticket_code},
                        {"created_at", format_utc(r.created_at)},
                        {"checked_in_at", r.checked_in_at ? nlohmann::json(format_utc(*r.checked_in_at)) : nlohmann::json(nullptr)},
                        {"waitlist_position", waitlist_position > 0 ? nlohmann::json(waitlist_position) : nlohmann::json(nullptr)}};
    if (r.cancelled_at) j["cancelled_at"] = format_utc(*r.cancelled_at);
    return j;
}

long long promote_waitlisted(store::connection& c, const event_record& e, mode m, long long n) {
    long long promoted = 0;
    auto at = now();
    for (long long id : store::first_waitlisted(c, e.id, m, n)) {
        if (!store::take_seat(c, e.id, m)) break;
        store::change_waitlisted(c, e.id, m, -1);
        store::set_status(c, id, registration_status::confirmed, at);
        auto r = store::find_registration(c, id);
        if (r) queue_seat_messages(c, e, *r, message_kind::promoted);
        ++promoted;
    }
    return promoted;
}

result<registration_reply> register_attendee(store::connection& c, event_cache& events, const registration_command& cmd) {
    auto head = store::find_event_head(c, cmd.event_ref);
    if (!head || head->status == "draft") return not_found("No such event.");
    std::string scope = std::to_string(head->id);
    // The key is claimed first, so that the same request arriving twice at once (two instances, two
    // writers) waits for the first and replays its answer instead of racing it.
    if (!cmd.idempotency_key.empty() && !store::claim_idempotency_key(c, scope, cmd.idempotency_key, cmd.request_hash, now())) {
        auto stored = store::find_idempotent(c, scope, cmd.idempotency_key);
        if (!stored || stored->request_hash != cmd.request_hash)
            return make_failure(errc::conflict, "This Idempotency-Key was used with a different request body.");
        return registration_reply{stored->status, stored->body, head->id, 0, true};
    }
    auto e = events.get(c, *head);
    auto at = now();
    auto checked = check_registration(*e, cmd.request, at);
    if (!checked) return checked.error();
    auto already = [] { return make_failure(errc::already_registered, "This email address is already registered for this event."); };

    registration r;
    r.event_id = e->id;
    r.mode = checked->mode;
    r.name = checked->name;
    r.email = checked->email;
    r.email_norm = checked->email_norm;
    r.language = checked->language;
    r.answers = checked->answers;
    r.ticket_code = cmd.ticket_code.empty() ? time_ordered_token(ticket_bytes) : cmd.ticket_code;
    r.manage_token = cmd.manage_token.empty() ? time_ordered_token(manage_bytes) : cmd.manage_token;
    r.created_at = at;
    r.updated_at = at;

    // A seat is taken first and the insert below refuses a second active registration of the email
    // (the command's savepoint then gives the seat back): one statement less on the hot path than
    // asking first. Without a seat, an existing registration is the answer before "full".
    if (store::take_seat(c, e->id, r.mode)) {
        r.status = registration_status::confirmed;
        r.confirmed_at = at;
    } else if (store::active_email_exists(c, e->id, checked->email_norm)) {
        return already();
    } else if (checked->waitlist && e->spec.registration.waitlist) {
        r.status = registration_status::waitlisted;
        store::change_waitlisted(c, e->id, r.mode, +1);
    } else {
        failure f = make_failure(errc::full, std::string("No ") + (r.mode == mode::online ? "online" : "in-person") +
                                                 " seat is left" + (e->spec.registration.waitlist ? "; you can join the waitlist." : "."));
        for (mode other : {mode::in_person, mode::online})
            if (other != r.mode && e->spec.has_mode(other)) f.alternatives[mode_name(other)] = store::load_pool(c, e->id, other).remaining();
        return f;
    }
    r.id = store::insert_registration(c, r, search_key(r.name, r.email));
    if (r.id == 0)  // this email is registered already (perhaps at this moment, through another writer); the seat is rolled back
        return already();

    long long position = 0;
    if (r.status == registration_status::confirmed) {
        queue_seat_messages(c, *e, r, message_kind::confirmation);
    } else {
        position = store::waitlist_position(c, e->id, r.mode, r.id);
        queue_email(c, r, message_kind::waitlisted, at, {{"position", position}});
    }
    registration_reply reply{201, created_body(r, position), e->id, r.id, false};
    if (!cmd.idempotency_key.empty())
        store::complete_idempotent(c, scope, cmd.idempotency_key, reply.status, reply.body);
    return reply;
}

result<registration> find_by_manage_token(store::connection& c, const std::string& token) { return by_token(c, token); }

result<nlohmann::json> registration_view(store::connection& c, event_cache& events, const std::string& token) {
    auto r = by_token(c, token);
    if (!r) return r.error();
    auto e = event_of(c, events, r->event_id);
    event_record with_seats = *e;
    store::load_seats(c, with_seats);
    long long position = r->status == registration_status::waitlisted ? store::waitlist_position(c, r->event_id, r->mode, r->id) : 0;
    nlohmann::json j = {{"id", r->id},
                        {"status", status_name(r->status)},
                        {"mode", mode_name(r->mode)},
                        {"name", r->name},
                        {"email", r->email},
                        {"language", r->language},
                        {"answers", r->answers},
                        {"ticket_code", r->ticket_code},
                        {"waitlist_position", position > 0 ? nlohmann::json(position) : nlohmann::json(nullptr)},
                        {"created_at", format_utc(r->created_at)},
                        {"checked_in_at", r->checked_in_at ? nlohmann::json(format_utc(*r->checked_in_at)) : nlohmann::json(nullptr)},
                        {"event", event_to_json(with_seats, event_view::public_view)}};
    if (r->status == registration_status::confirmed && r->mode == mode::online && e->status == "published") {
        const auto& online = e->spec.online;
        std::string join = online.provider == "zoom" ? r->join_url : online.provider == "manual" ? online.join_url : "";
        if (!join.empty()) j["join_url"] = join;
        if (!join.empty() && !online.passcode.empty()) j["passcode"] = online.passcode;
    }
    return result<nlohmann::json>{boost::system::in_place_value, std::move(j)};
}

result<registration_change> cancel_registration(store::connection& c, event_cache& events, const std::string& token) {
    auto r = by_token(c, token);
    if (!r) return r.error();
    registration_change change{*r, 0, status_name(r->status)};
    if (r->status == registration_status::cancelled) return change;
    auto e = event_of(c, events, r->event_id);
    auto at = now();
    if (r->status == registration_status::confirmed) {
        store::release_seat(c, r->event_id, r->mode);
        if (r->mode == mode::online) queue_zoom_cancel(c, *e, *r, true);
        if (e->status == "published") change.promoted = promote_waitlisted(c, *e, r->mode, 1);
    } else {
        store::change_waitlisted(c, r->event_id, r->mode, -1);
    }
    store::set_status(c, r->id, registration_status::cancelled, at);
    store::cancel_pending_for_registration(c, r->id, "email.reminder");
    change.reg.status = registration_status::cancelled;
    queue_email(c, change.reg, message_kind::cancelled, at);
    return change;
}

result<registration_change> switch_mode(store::connection& c, event_cache& events, const std::string& token, const std::string& mode_text) {
    auto target = parse_mode(mode_text);
    if (!target) return invalid_field("mode", "must be in_person or online");
    auto r = by_token(c, token);
    if (!r) return r.error();
    auto e = event_of(c, events, r->event_id);
    registration_change change{*r, 0, status_name(r->status)};
    if (!e->spec.has_mode(*target))
        return invalid_field("mode", std::string("this event has no ") + (*target == mode::online ? "online" : "in-person") + " seats");
    if (r->status == registration_status::cancelled) return make_failure(errc::conflict, "This registration was cancelled.");
    if (e->status != "published") return make_failure(errc::conflict, "This event is not open for changes.");
    if (r->mode == *target) return change;
    mode from = r->mode;
    auto at = now();
    if (!store::take_seat(c, r->event_id, *target)) {
        failure f = make_failure(errc::full, std::string("No ") + (*target == mode::online ? "online" : "in-person") +
                                                 " seat is left; your registration is unchanged.");
        f.alternatives[mode_name(from)] = store::load_pool(c, r->event_id, from).remaining();
        return f;
    }
    if (r->status == registration_status::confirmed) {
        store::release_seat(c, r->event_id, from);
        if (from == mode::online) queue_zoom_cancel(c, *e, *r, true);
        change.promoted = promote_waitlisted(c, *e, from, 1);
    } else {
        store::change_waitlisted(c, r->event_id, from, -1);
    }
    store::set_mode(c, r->id, *target, registration_status::confirmed, at);
    if (r->status != registration_status::confirmed) store::set_status(c, r->id, registration_status::confirmed, at);
    if (from == mode::online) store::set_zoom_registrant(c, r->id, "", "");
    change.reg.mode = *target;
    change.reg.status = registration_status::confirmed;
    change.reg.zoom_registrant_id.clear();
    change.reg.join_url.clear();
    queue_seat_messages(c, *e, change.reg, message_kind::switched);
    return change;
}

result<registration_change> erase_by_token(store::connection& c, event_cache& events, const std::string& token) {
    auto r = by_token(c, token);
    if (!r) return r.error();
    auto e = event_of(c, events, r->event_id);
    registration_change change{*r, 0, status_name(r->status)};
    if (r->status == registration_status::confirmed) {
        store::release_seat(c, r->event_id, r->mode);
        if (r->mode == mode::online) queue_zoom_cancel(c, *e, *r, false);
        if (e->status == "published") change.promoted = promote_waitlisted(c, *e, r->mode, 1);
    } else if (r->status == registration_status::waitlisted) {
        store::change_waitlisted(c, r->event_id, r->mode, -1);
    }
    store::erase_registration(c, r->id, now());
    audit(c, actor{0, "attendee"}, "registration.erase", r->event_id, "registration " + std::to_string(r->id), "at the attendee's request");
    change.reg.status = registration_status::cancelled;
    return change;
}

result<nlohmann::json> export_personal_data(store::connection& c, event_cache& events, const std::string& token) {
    auto r = by_token(c, token);
    if (!r) return r.error();
    auto e = event_of(c, events, r->event_id);
    nlohmann::json out = registration_to_json(*r, 0);
    out["event"] = {{"id", e->id}, {"slug", e->spec.slug}, {"title", e->spec.title.in(r->language)}};
    out["updated_at"] = format_utc(r->updated_at);
    if (r->confirmed_at) out["confirmed_at"] = format_utc(*r->confirmed_at);
    out["checked_in_device"] = r->checked_in_device;
    out["zoom_registrant_id"] = r->zoom_registrant_id;
    out["join_url"] = r->join_url;
    nlohmann::json log = nlohmann::json::array();
    {
        soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT action, device_id, scanned_at, recorded_at FROM checkin_log "
                                                         "WHERE event_id = :e AND registration_id = :r ORDER BY id",
                                        soci::use(r->event_id), soci::use(r->id));
        for (const auto& row : rows)
            log.push_back({{"action", store::as_text(row, 0)},
                           {"device", store::as_text(row, 1)},
                           {"scanned_at", format_utc(from_ms(store::as_int(row, 2)))},
                           {"recorded_at", format_utc(from_ms(store::as_int(row, 3)))}});
    }
    out["checkins"] = log;
    nlohmann::json attendance = nlohmann::json::array();
    {
        soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT COALESCE(joined_at, 0), COALESCE(left_at, 0) FROM zoom_attendance "
                                                         "WHERE registration_id = :r ORDER BY id",
                                        soci::use(r->id));
        for (const auto& row : rows) {
            nlohmann::json a = nlohmann::json::object();
            if (store::as_int(row, 0)) a["joined_at"] = format_utc(from_ms(store::as_int(row, 0)));
            if (store::as_int(row, 1)) a["left_at"] = format_utc(from_ms(store::as_int(row, 1)));
            attendance.push_back(a);
        }
    }
    out["online_attendance"] = attendance;
    nlohmann::json messages = nlohmann::json::array();
    {
        soci::rowset<soci::row> rows = (c.sql.prepare << "SELECT kind, recipient, status, created_at, COALESCE(sent_at, 0) FROM outbox "
                                                         "WHERE registration_id = :r ORDER BY id",
                                        soci::use(r->id));
        for (const auto& row : rows) {
            nlohmann::json m = {{"kind", store::as_text(row, 0)},
                                {"recipient", store::as_text(row, 1)},
                                {"status", store::as_text(row, 2)},
                                {"created_at", format_utc(from_ms(store::as_int(row, 3)))}};
            if (store::as_int(row, 4)) m["sent_at"] = format_utc(from_ms(store::as_int(row, 4)));
            messages.push_back(m);
        }
    }
    out["messages"] = messages;
    return result<nlohmann::json>{boost::system::in_place_value, std::move(out)};
}

}  // namespace ensemble::core::services
