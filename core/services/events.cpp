// Event use cases.
#include "core/services/events.hpp"

#include "core/domain/event_json.hpp"
#include "core/domain/outbox.hpp"
#include "core/services/registrations.hpp"
#include "core/store/outbox_repo.hpp"
#include "core/store/registrations_repo.hpp"

namespace ensemble::core::services {
namespace {

void queue_zoom(store::connection& c, const event_record& e, const char* kind) {
    outbox_message m;
    m.kind = kind;
    m.event_id = e.id;
    m.payload = {{"event_id", e.id}, {"zoom_id", e.zoom_id}, {"zoom_type", e.spec.online.zoom_type}};
    m.next_attempt_at = now();
    m.created_at = now();
    store::enqueue(c, m);
}

bool wants_zoom(const event_spec& s) { return s.online.provider == "zoom" && s.format != "in_person"; }

result<event_record> reload(store::connection& c, long long id) {
    auto e = store::load_event(c, id);
    if (!e) return not_found("No such event.");
    store::load_seats(c, *e);
    return *e;
}

}  // namespace

result<event_record> load_event_with_seats(store::connection& c, long long id) { return reload(c, id); }

result<event_record> create_event(store::connection& c, const actor& who, event_spec spec) {
    bool generated = spec.slug.empty();
    if (generated) spec.slug = slugify(spec.title.in("en"));
    if (store::slug_taken(c, spec.slug, 0)) {
        // A slug derived from the title, or one given by the organizer, never silently takes another's.
        if (!generated) return invalid_field("slug", "is used by another event");
        std::string base = spec.slug.substr(0, 70);
        for (int n = 2;; ++n) {
            std::string candidate = base + "-" + std::to_string(n);
            if (!store::slug_taken(c, candidate, 0)) {
                spec.slug = candidate;
                break;
            }
        }
    }
    long long id = store::insert_event(c, who.user_id, spec, now());
    audit(c, who, "event.create", id, spec.slug, "");
    return reload(c, id);
}

result<event_record> get_event(store::connection& c, std::string_view id_or_slug, const actor* who) {
    auto head = store::find_event_head(c, id_or_slug);
    if (!head) return not_found("No such event.");
    if (head->status == "draft") {
        if (who == nullptr) return not_found("No such event.");
        auto managed = managed_event(c, *who, std::to_string(head->id));
        if (!managed) return managed.error();
    }
    return reload(c, head->id);
}

result<std::vector<event_record>> list_events(store::connection& c, const event_list_query& q, const actor* who) {
    store::event_query query;
    query.scope = q.scope;
    query.limit = q.limit;
    query.at = now();
    if (q.scope == store::event_scope::all_of_user || q.scope == store::event_scope::all) {
        if (who == nullptr) return make_failure(errc::unauthenticated, "Log in first.");
        if (who->is_admin()) query.scope = store::event_scope::all;
        else {
            query.scope = store::event_scope::all_of_user;
            query.user_id = who->user_id;
        }
    }
    std::vector<event_record> out;
    for (long long id : store::list_event_ids(c, query)) {
        auto e = reload(c, id);
        if (e) out.push_back(std::move(*e));
    }
    return out;
}

result<event_change> update_event(store::connection& c, const actor& who, std::string_view id, const nlohmann::json& patch) {
    if (!patch.is_object()) return invalid_field("body", "must be a JSON object");
    auto head = managed_event(c, who, id);
    if (!head) return head.error();
    auto current = reload(c, head->id);
    if (!current) return current.error();
    if (current->status == "cancelled") return make_failure(errc::conflict, "A cancelled event cannot be changed.");

    nlohmann::json merged = event_spec_to_json(current->spec);
    merged.merge_patch(patch);
    // A new join link or passcode replaces the old one; omitting them keeps what was stored.
    auto spec = event_spec_from_json(merged);
    if (!spec) return spec.error();
    if (spec->slug.empty()) spec->slug = current->spec.slug;  // "slug": null keeps the address people have
    if (spec->slug != current->spec.slug && store::slug_taken(c, spec->slug, head->id)) return invalid_field("slug", "is used by another event");

    event_change change;
    for (mode m : {mode::in_person, mode::online}) {
        const seat_counts& seats = current->seats(m);
        long long cap = spec->capacity(m);
        if (cap < seats.taken)
            return make_failure(errc::conflict, std::string("The ") + (m == mode::online ? "online" : "in-person") + " capacity cannot go below the " +
                                                    std::to_string(seats.taken) + " seats already taken.");
    }
    if (current->spec.online.provider == "zoom" && !current->zoom_id.empty() && spec->online.provider != "zoom")
        return make_failure(errc::conflict, "This event's Zoom meeting exists; cancel the event instead of changing its provider.");

    auto at = now();
    store::update_event(c, head->id, *spec, at);
    auto updated = reload(c, head->id);
    if (!updated) return updated.error();

    if (updated->status == "published") {
        for (mode m : {mode::in_person, mode::online}) {
            long long free_seats = updated->seats(m).remaining();
            if (free_seats > 0 && updated->seats(m).waitlisted > 0) change.promoted += promote_waitlisted(c, *updated, m, free_seats);
        }
        bool zoom_relevant = wants_zoom(updated->spec);
        bool timing_changed = updated->spec.starts_at != current->spec.starts_at || updated->spec.ends_at != current->spec.ends_at ||
                              updated->spec.title.en != current->spec.title.en || updated->spec.title.fr != current->spec.title.fr ||
                              updated->spec.timezone != current->spec.timezone;
        if (zoom_relevant && !updated->zoom_id.empty() && timing_changed) queue_zoom(c, *updated, message_kind::zoom_update);
        if (zoom_relevant && updated->zoom_id.empty() && !wants_zoom(current->spec)) queue_zoom(c, *updated, message_kind::zoom_create);
        if (updated->spec.starts_at != current->spec.starts_at) store::cancel_pending_for_event(c, head->id, "email.reminder");
        // A new pasted join link (or passcode) goes to everyone who holds an online seat.
        bool link_changed = updated->spec.online.provider == "manual" && !updated->spec.online.join_url.empty() &&
                            (updated->spec.online.join_url != current->spec.online.join_url ||
                             updated->spec.online.passcode != current->spec.online.passcode || current->spec.online.provider != "manual");
        if (link_changed) {
            store::registration_filter online;
            online.event_id = head->id;
            online.status = "confirmed";
            online.mode = "online";
            for (const auto& r : store::list_registrations(c, online)) {
                outbox_message m;
                m.kind = message_kind::join_link;
                m.event_id = r.event_id;
                m.registration_id = r.id;
                m.recipient = r.email;
                m.payload = {{"registration_id", r.id}, {"event_id", r.event_id}, {"reason", "link_changed"}};
                m.next_attempt_at = at;
                m.created_at = at;
                m.dedupe_key = "join_link:" + std::to_string(r.id) + ":" + std::to_string(updated->version);
                change.join_links += store::enqueue(c, m);
            }
        }
    }
    if (!updated->spec.recording_url.empty() && updated->spec.recording_url != current->spec.recording_url && at >= updated->spec.starts_at &&
        store::claim_recording_notice(c, head->id)) {
        store::registration_filter filter;
        filter.event_id = head->id;
        filter.status = "confirmed";
        auto regs = store::list_registrations(c, filter);
        for (const auto& r : regs) {
            outbox_message m;
            m.kind = message_kind::recording;
            m.event_id = r.event_id;
            m.registration_id = r.id;
            m.recipient = r.email;
            m.payload = {{"registration_id", r.id}, {"event_id", r.event_id}};
            m.next_attempt_at = at;
            m.created_at = at;
            m.dedupe_key = "recording:" + std::to_string(r.id);
            change.recording_notices += store::enqueue(c, m);
        }
    }
    audit(c, who, "event.update", head->id, updated->spec.slug, patch.dump().substr(0, 2000));
    auto final_state = reload(c, head->id);
    if (!final_state) return final_state.error();
    change.event = std::move(*final_state);
    return change;
}

result<event_record> publish_event(store::connection& c, const actor& who, std::string_view id) {
    auto head = managed_event(c, who, id);
    if (!head) return head.error();
    if (head->status == "cancelled") return make_failure(errc::conflict, "A cancelled event cannot be published again.");
    if (head->status == "published") return reload(c, head->id);
    auto e = reload(c, head->id);
    if (!e) return e.error();
    auto errors = validate_event(e->spec);
    if (!errors.empty()) return invalid(std::move(errors), "The event is not complete enough to publish.");
    store::set_event_status(c, head->id, "published", now());
    auto published = reload(c, head->id);
    if (published && wants_zoom(published->spec) && published->zoom_id.empty()) queue_zoom(c, *published, message_kind::zoom_create);
    audit(c, who, "event.publish", head->id, e->spec.slug, "");
    return published;
}

result<event_change> cancel_event(store::connection& c, const actor& who, std::string_view id) {
    auto head = managed_event(c, who, id);
    if (!head) return head.error();
    event_change change;
    if (head->status == "cancelled") {
        auto e = reload(c, head->id);
        if (!e) return e.error();
        change.event = std::move(*e);
        return change;
    }
    auto at = now();
    auto before = reload(c, head->id);
    if (!before) return before.error();
    store::set_event_status(c, head->id, "cancelled", at);
    store::cancel_pending_for_event(c, head->id, "email.reminder");
    store::cancel_pending_for_event(c, head->id, "zoom.add_registrant");
    if (head->status == "published") {
        store::registration_filter filter;
        filter.event_id = head->id;
        for (const auto& r : store::list_registrations(c, filter)) {
            if (r.status == registration_status::cancelled) continue;
            outbox_message m;
            m.kind = message_kind::event_cancelled;
            m.event_id = r.event_id;
            m.registration_id = r.id;
            m.recipient = r.email;
            m.payload = {{"registration_id", r.id}, {"event_id", r.event_id}, {"previous_status", status_name(r.status)}};
            m.next_attempt_at = at;
            m.created_at = at;
            m.dedupe_key = "event_cancelled:" + std::to_string(r.id);
            store::enqueue(c, m);
        }
    }
    if (!before->zoom_id.empty()) queue_zoom(c, *before, message_kind::zoom_delete);
    audit(c, who, "event.cancel", head->id, before->spec.slug, "");
    auto e = reload(c, head->id);
    if (!e) return e.error();
    change.event = std::move(*e);
    return change;
}

result<event_record> duplicate_event(store::connection& c, const actor& who, std::string_view id, int days, const std::string& new_slug) {
    auto head = managed_event(c, who, id);
    if (!head) return head.error();
    auto e = reload(c, head->id);
    if (!e) return e.error();
    event_spec spec = e->spec;
    auto shift = std::chrono::days(days);
    spec.starts_at += shift;
    spec.ends_at += shift;
    for (auto& s : spec.sessions) {
        s.starts_at += shift;
        s.ends_at += shift;
    }
    if (spec.registration.opens_at) *spec.registration.opens_at += shift;
    if (spec.registration.closes_at) *spec.registration.closes_at += shift;
    spec.recording_url.clear();
    spec.slug = new_slug;
    if (!new_slug.empty() && !is_valid_slug(new_slug)) return invalid_field("slug", "must be lower-case letters, digits and dashes");
    auto created = create_event(c, who, spec);
    if (created) audit(c, who, "event.duplicate", created->id, created->spec.slug, "from " + std::to_string(head->id));
    return created;
}

result<nlohmann::json> event_settings(store::connection& c, const actor& who, std::string_view id) {
    auto head = managed_event(c, who, id);
    if (!head) return head.error();
    auto e = reload(c, head->id);
    if (!e) return e.error();
    return result<nlohmann::json>{boost::system::in_place_value, event_spec_to_json(e->spec)};
}

}  // namespace ensemble::core::services
