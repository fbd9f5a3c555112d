// Organizer actions.
#include "core/services/organizer_actions.hpp"

#include "core/domain/outbox.hpp"
#include "core/store/events_repo.hpp"
#include "core/store/outbox_repo.hpp"
#include "core/store/registrations_repo.hpp"
#include "core/store/users_repo.hpp"

namespace ensemble::core::services {
namespace {

result<registration> registration_of(store::connection& c, const actor& who, std::string_view event_ref, long long registration_id,
                                      long long& event_id) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    auto r = store::find_registration(c, registration_id);
    if (!r || r->event_id != head->id || r->erased_at) return not_found("No such registration.");
    event_id = head->id;
    return *r;
}

}  // namespace

result<promotion> promote_registration(store::connection& c, event_cache& events, const actor& who, std::string_view event_ref,
                                       long long registration_id) {
    long long event_id = 0;
    auto r = registration_of(c, who, event_ref, registration_id, event_id);
    if (!r) return r.error();
    if (r->status != registration_status::waitlisted) return make_failure(errc::conflict, "Only a waitlisted registration can be promoted.");
    auto head = store::find_event_head(c, event_id);
    if (!head || head->status != "published") return make_failure(errc::conflict, "The event is not open.");
    auto e = events.get(c, *head);
    promotion out;
    if (!store::take_seat(c, event_id, r->mode)) {
        event_spec spec = e->spec;
        if (r->mode == mode::in_person) ++spec.capacity_in_person;
        else ++spec.capacity_online;
        store::update_event(c, event_id, spec, now());
        if (!store::take_seat(c, event_id, r->mode)) return make_failure(errc::conflict, "The seat could not be taken; try again.");
        out.capacity_raised = true;
        out.capacity = spec.capacity(r->mode);
    }
    store::change_waitlisted(c, event_id, r->mode, -1);
    store::set_status(c, r->id, registration_status::confirmed, now());
    out.change.reg = *r;
    out.change.reg.status = registration_status::confirmed;
    out.change.previous_status = "waitlisted";
    queue_seat_messages(c, *e, out.change.reg, message_kind::promoted);
    audit(c, who, "registration.promote", event_id, "registration " + std::to_string(r->id),
          out.capacity_raised ? "capacity raised to " + std::to_string(out.capacity) : "");
    return out;
}

result<registration_change> move_registration(store::connection& c, event_cache& events, const actor& who, std::string_view event_ref,
                                              long long registration_id, const std::string& mode_text) {
    long long event_id = 0;
    auto r = registration_of(c, who, event_ref, registration_id, event_id);
    if (!r) return r.error();
    auto change = switch_mode(c, events, r->manage_token, mode_text);
    if (change) audit(c, who, "registration.move", event_id, "registration " + std::to_string(r->id), std::string(mode_name(r->mode)) + " -> " + mode_text);
    return change;
}

result<registration_change> cancel_for_attendee(store::connection& c, event_cache& events, const actor& who, std::string_view event_ref,
                                                long long registration_id) {
    long long event_id = 0;
    auto r = registration_of(c, who, event_ref, registration_id, event_id);
    if (!r) return r.error();
    auto change = cancel_registration(c, events, r->manage_token);
    if (change) audit(c, who, "registration.cancel", event_id, "registration " + std::to_string(r->id), "by organizer");
    return change;
}

result<nlohmann::json> event_team(store::connection& c, const actor& who, std::string_view event_ref) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    nlohmann::json list = nlohmann::json::array();
    for (long long id : store::event_organizer_ids(c, head->id)) {
        auto u = store::find_user(c, id);
        if (!u) continue;
        list.push_back({{"id", u->id}, {"email", u->email}, {"name", u->name}, {"role", u->role}, {"owner", u->id == head->owner_id}});
    }
    return result<nlohmann::json>{boost::system::in_place_value, nlohmann::json{{"organizers", list}}};
}

result<nlohmann::json> add_team_member(store::connection& c, const actor& who, std::string_view event_ref, const std::string& email) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    auto u = store::find_user_by_email(c, normalize_email(email));
    if (!u || u->who.disabled) return invalid_field("email", "has no active account; an admin creates accounts first");
    store::add_event_organizer(c, head->id, u->who.id);
    audit(c, who, "event.team_add", head->id, u->who.email, "");
    return event_team(c, who, std::to_string(head->id));
}

result<unit> remove_team_member(store::connection& c, const actor& who, std::string_view event_ref, long long user_id) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    if (user_id == head->owner_id) return make_failure(errc::conflict, "The event's owner stays on its team.");
    auto u = store::find_user(c, user_id);
    store::remove_event_organizer(c, head->id, user_id);
    audit(c, who, "event.team_remove", head->id, u ? u->email : "user " + std::to_string(user_id), "");
    return unit{};
}

}  // namespace ensemble::core::services
