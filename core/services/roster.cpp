// Rosters for organizers.
#include "core/services/roster.hpp"

#include "core/domain/registration_record.hpp"
#include "core/services/registrations.hpp"
#include "core/store/events_repo.hpp"
#include "core/text/csv.hpp"

#include <unordered_map>

namespace ensemble::core::services {
namespace {

result<store::registration_filter> filter_of(store::connection& c, const actor& who, const roster_query& q, long long& event_id) {
    auto head = managed_event(c, who, q.event_ref);
    if (!head) return head.error();
    event_id = head->id;
    field_errors errors;
    if (!q.status.empty() && !parse_status(q.status)) errors["status"] = "must be confirmed, waitlisted or cancelled";
    if (!q.mode.empty() && !parse_mode(q.mode)) errors["mode"] = "must be in_person or online";
    if (q.sort != "created" && q.sort != "name" && q.sort != "status" && q.sort != "email") errors["sort"] = "must be created, name, email or status";
    if (q.q.size() > 200) errors["q"] = "is longer than 200 bytes";
    if (!errors.empty()) return invalid(errors);
    store::registration_filter f;
    f.event_id = head->id;
    f.status = q.status;
    f.mode = q.mode;
    f.query = fold_for_search(trim(q.q));
    f.sort = q.sort;
    f.descending = q.descending;
    return f;
}

// Waitlist places of every waitlisted registration of the event, per mode, by arrival.
std::unordered_map<long long, long long> waitlist_places(store::connection& c, long long event_id) {
    std::unordered_map<long long, long long> places;
    for (mode m : {mode::in_person, mode::online}) {
        long long n = 0;
        for (long long id : store::first_waitlisted(c, event_id, m, 1'000'000)) places[id] = ++n;
    }
    return places;
}

std::string answer_text(const nlohmann::json& a, const question& q) {
    auto label_of = [&](const std::string& id) {
        for (const auto& o : q.options)
            if (o.id == id) return o.label.in("en");
        return id;
    };
    if (a.is_boolean()) return a.get<bool>() ? "yes" : "no";
    if (a.is_string()) return q.type == "choice" ? label_of(a.get<std::string>()) : a.get<std::string>();
    if (a.is_array()) {
        std::string out;
        for (const auto& v : a) {
            if (!out.empty()) out += "; ";
            out += v.is_string() ? label_of(v.get<std::string>()) : v.dump();
        }
        return out;
    }
    return a.is_null() ? "" : a.dump();
}

}  // namespace

result<nlohmann::json> roster(store::connection& c, const actor& who, const roster_query& q) {
    long long event_id = 0;
    auto f = filter_of(c, who, q, event_id);
    if (!f) return f.error();
    auto places = waitlist_places(c, event_id);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : store::list_registrations(c, *f)) {
        auto it = places.find(r.id);
        auto j = registration_to_json(r, it == places.end() ? 0 : it->second);
        j["checked_in_device"] = r.checked_in_device;
        j["joined_online"] = nullptr;
        list.push_back(std::move(j));
    }
    return result<nlohmann::json>{boost::system::in_place_value, nlohmann::json{{"registrations", list}, {"count", list.size()}}};
}

result<std::string> roster_csv(store::connection& c, const actor& who, const roster_query& q) {
    long long event_id = 0;
    auto f = filter_of(c, who, q, event_id);
    if (!f) return f.error();
    auto e = store::load_event(c, event_id);
    if (!e) return not_found("No such event.");
    auto places = waitlist_places(c, event_id);
    std::string out(csv_bom);
    std::vector<std::string> header = {"id", "name", "email", "mode", "status", "waitlist_position", "language", "registered_at",
                                       "checked_in_at", "ticket_code"};
    for (const auto& question : e->spec.questions) header.push_back(question.label.in("en"));
    out += csv_row(header);
    std::size_t rows = 0;
    for (const auto& r : store::list_registrations(c, *f)) {
        auto it = places.find(r.id);
        std::vector<std::string> cells = {std::to_string(r.id),
                                          r.name,
                                          r.email,
                                          mode_name(r.mode),
                                          status_name(r.status),
                                          it == places.end() ? "" : std::to_string(it->second),
                                          r.language,
                                          format_in_zone(r.created_at, e->spec.timezone),
                                          r.checked_in_at ? format_in_zone(*r.checked_in_at, e->spec.timezone) : "",
                                          r.ticket_code};
        for (const auto& question : e->spec.questions) {
            auto a = r.answers.find(question.id);
            cells.push_back(a == r.answers.end() ? "" : answer_text(*a, question));
        }
        out += csv_row(cells);
        ++rows;
    }
    audit(c, who, "registrations.export", event_id, e->spec.slug, std::to_string(rows) + " rows");
    return out;
}

}  // namespace ensemble::core::services
