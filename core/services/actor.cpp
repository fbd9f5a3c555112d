// Access to events by organizer membership, and the audit trail.
#include "core/services/actor.hpp"

namespace ensemble::core::services {

result<store::event_head> managed_event(store::connection& c, const actor& who, std::string_view id_or_slug) {
    auto head = store::find_event_head(c, id_or_slug);
    if (!head) return not_found("No such event.");
    if (who.is_admin() || head->owner_id == who.user_id || store::is_event_organizer(c, head->id, who.user_id)) return *head;
    return not_found("No such event.");
}

void audit(store::connection& c, const actor& who, std::string_view action, long long event_id, std::string_view subject,
           std::string_view detail) {
    long long at = to_ms(now());
    std::string a(action), s(subject), d(detail);
    long long user_id = who.user_id;
    soci::indicator user_ind = user_id ? soci::i_ok : soci::i_null;
    soci::indicator event_ind = event_id ? soci::i_ok : soci::i_null;
    c.sql << "INSERT INTO audit_log (at, user_id, action, event_id, subject, detail) VALUES (:at, :u, :a, :e, :s, :d)",
        soci::use(at), soci::use(user_id, user_ind), soci::use(a), soci::use(event_id, event_ind), soci::use(s), soci::use(d);
}

}  // namespace ensemble::core::services
