// Check-in use cases.
#include "core/services/checkin.hpp"

#include "core/domain/event_json.hpp"
#include "core/security/crypto.hpp"
#include "core/store/events_repo.hpp"
#include "core/text/json_text.hpp"

namespace ensemble::core::services {
namespace {

failure unknown_ticket() { return not_found("No valid ticket with this code for this event."); }

// The registration a scan names: by its code, or by the roster's hash within the link's event.
std::optional<registration> find_scanned(store::connection& c, long long event_id, const scan& s) {
    if (s.ticket_code.empty()) return store::find_ticket_by_hash(c, event_id, s.ticket_hash);
    return s.code_hash.empty() ? store::find_ticket(c, s.ticket_code) : store::find_ticket(c, s.ticket_code, s.code_hash);
}

nlohmann::json outcome_body(const scan_outcome& o) {
    nlohmann::json body = {{"result", checkin_result_name(o.result)},
                           {"registration", {{"name", o.name}, {"mode", mode_name(o.m)}}},
                           {"checked_in_at", format_utc(o.checked_in_at)},
                           {"device_id", o.device_id},
                           {"online_at_door", o.online_at_door}};
    return body;
}

}  // namespace

nlohmann::json scan_answer(const scan_outcome& o) { return o.body.is_null() ? outcome_body(o) : o.body; }

std::string scan_answer_text(const scan_outcome& o) {
    // Names and devices were checked as clean UTF-8 when stored; anything else goes through nlohmann.
    if (!o.body.is_null() || !is_clean_text(o.name) || !is_clean_text(o.device_id)) return scan_answer(o).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // nlohmann::json's order (its keys are sorted), so both forms give the same bytes.
    std::string out;
    out.reserve(160 + o.name.size() + o.device_id.size());
    out += "{\"checked_in_at\":\"";
    out += format_utc(o.checked_in_at);
    out += "\",\"device_id\":\"";
    append_json_escaped(out, o.device_id);
    out += "\",\"online_at_door\":";
    out += o.online_at_door ? "true" : "false";
    out += ",\"registration\":{\"mode\":\"";
    out += mode_name(o.m);
    out += "\",\"name\":\"";
    append_json_escaped(out, o.name);
    out += "\"},\"result\":\"";
    out += checkin_result_name(o.result);
    out += "\"}";
    return out;
}

nlohmann::json counts_json(const store::door_counts& d) {
    return {{"in_person", {{"checked_in", d.in_person_checked_in}, {"expected", d.in_person_expected}}},
            {"online", {{"checked_in", d.online_checked_in}, {"expected", d.online_expected}}}};
}

result<created_link> create_checkin_link(store::connection& c, const actor& who, const new_link& n) {
    auto head = managed_event(c, who, n.event_ref);
    if (!head) return head.error();
    if (head->status == "cancelled") return make_failure(errc::conflict, "This event was cancelled.");
    auto e = store::load_event(c, head->id);
    if (!e) return not_found("No such event.");
    std::string label = trim(n.label);
    field_errors errors;
    if (label.empty()) label = "Door";
    if (label.size() > 100 || !is_clean_text(label)) errors["label"] = "must be at most 100 bytes of plain text";
    auto at = now();
    instant expires = e->spec.ends_at + std::chrono::hours(12);
    if (!n.expires_at.empty()) {
        auto parsed = parse_instant(n.expires_at, e->spec.timezone);
        if (!parsed) errors["expires_at"] = parsed.error().fields.begin()->second;
        else if (*parsed <= at) errors["expires_at"] = "must be in the future";
        else expires = *parsed;
    }
    if (!errors.empty()) return invalid(errors);
    created_link out;
    out.token = std::string(checkin_token_prefix) + random_token(32);
    out.link.event_id = head->id;
    out.link.label = label;
    out.link.created_at = at;
    out.link.expires_at = expires;
    out.link.created_by = who.user_id;
    out.link.id = store::insert_checkin_link(c, out.link, sha256_hex(out.token));
    audit(c, who, "checkin_link.create", head->id, label, "expires " + format_utc(expires));
    return out;
}

result<std::vector<store::link_usage>> checkin_links(store::connection& c, const actor& who, std::string_view event_ref) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    return store::list_checkin_links(c, head->id);
}

result<unit> revoke_checkin_link(store::connection& c, const actor& who, std::string_view event_ref, long long link_id) {
    auto head = managed_event(c, who, event_ref);
    if (!head) return head.error();
    auto link = store::find_checkin_link_by_id(c, link_id);
    if (!link || link->event_id != head->id) return not_found("No such check-in link.");
    store::revoke_checkin_link(c, link_id, now());
    audit(c, who, "checkin_link.revoke", head->id, link->label, "");
    return unit{};
}

result<checkin_link> link_for_token(store::connection& c, const std::string& token) {
    if (token.starts_with("ens_s_")) return make_failure(errc::forbidden, "Check-in needs a check-in link; an organizer session cannot check people in.");
    if (!token.starts_with(checkin_token_prefix) || token.size() > 200)
        return make_failure(errc::unauthenticated, "Open the check-in link given by the organizer.");
    auto door = store::find_door_link(c, token);
    if (!door) return make_failure(errc::unauthenticated, "This check-in link is not valid.");
    if (door->link.revoked_at) return make_failure(errc::unauthenticated, "This check-in link was revoked by the organizer.");
    if (now() >= door->link.expires_at) return make_failure(errc::unauthenticated, "This check-in link has expired.");
    if (door->event_status == "cancelled") return make_failure(errc::unauthenticated, "This event was cancelled.");
    return door->link;
}

result<scan_outcome> check_in(store::connection& c, const checkin_link& link, const scan& s) {
    if ((s.ticket_code.empty() && s.ticket_hash.size() != 64) || s.ticket_code.size() > 100) return unknown_ticket();
    auto at = now();
    if (!s.nonce.empty()) {
        if (auto earlier = store::find_scan_result(c, link.event_id, s.nonce)) {
            auto stored = nlohmann::json::parse(*earlier, nullptr, false);
            scan_outcome o;
            o.event_id = link.event_id;
            o.body = stored.is_discarded() ? nlohmann::json::object() : stored;
            o.body["replayed"] = true;
            if (o.body.contains("error")) {
                failure f = make_failure(o.body["error"].value("code", "") == "conflict" ? errc::conflict : errc::not_found,
                                         o.body["error"].value("message", ""));
                return f;
            }
            o.result = o.body.value("result", "") == "checked_in" ? checkin_result::checked_in : checkin_result::already_checked_in;
            return o;
        }
    }
    auto r = find_scanned(c, link.event_id, s);
    if (!r || r->event_id != link.event_id) return unknown_ticket();
    auto decision = decide_checkin(*r);
    instant scanned = s.scanned_at.value_or(at);
    if (!decision.allowed) {
        failure f = make_failure(errc::conflict, decision.refusal);
        f.context["registration"] = {{"name", r->name}, {"mode", mode_name(r->mode)}, {"status", status_name(r->status)}};
        return f;
    }
    scan_outcome o;
    o.registration_id = r->id;
    o.event_id = r->event_id;
    o.name = r->name;
    o.m = r->mode;
    o.online_at_door = r->mode == mode::online;
    if (decision.result == checkin_result::already_checked_in) {
        o.result = checkin_result::already_checked_in;
        o.checked_in_at = *r->checked_in_at;
        o.device_id = r->checked_in_device;
    } else {
        // Offline scans keep the time they were made; a scan from the future is taken as now.
        instant when = scanned > at ? at : scanned;
        if (store::mark_checked_in(c, r->id, when, link.id, s.device_id)) {
            o.result = checkin_result::checked_in;
            o.checked_in_at = when;
            o.device_id = s.device_id;
        } else {
            auto again = find_scanned(c, link.event_id, s);
            o.result = checkin_result::already_checked_in;
            o.checked_in_at = again && again->checked_in_at ? *again->checked_in_at : when;
            o.device_id = again ? again->checked_in_device : "";
        }
    }
    if (o.result == checkin_result::checked_in) store::notify_door_change(c, o.event_id);
    if (o.result == checkin_result::checked_in || !s.nonce.empty())
        // The answer is kept only where a re-sent scan (same nonce) must get it again.
        store::insert_log(c, {link.event_id, r->id, o.result == checkin_result::checked_in ? "checkin" : "repeat", link.id, s.device_id, s.nonce,
                              s.nonce.empty() ? std::string() : outcome_body(o).dump(), scanned, at});
    return o;
}

result<scan_outcome> check_in_with_token(store::connection& c, const std::string& token, const scan& s) {
    auto link = link_for_token(c, token);
    if (!link) return link.error();
    return check_in(c, *link, s);
}

result<nlohmann::json> undo_check_in(store::connection& c, const std::string& token, const std::string& ticket_code, const std::string& device) {
    auto link = link_for_token(c, token);
    if (!link) return link.error();
    auto r = store::find_ticket(c, ticket_code);
    if (!r || r->event_id != link->event_id) return unknown_ticket();
    nlohmann::json body = {{"registration", {{"name", r->name}, {"mode", mode_name(r->mode)}}}, {"event_id", r->event_id}};
    if (!r->checked_in_at) {
        body["result"] = "not_checked_in";
        return result<nlohmann::json>{boost::system::in_place_value, body};
    }
    auto at = now();
    store::clear_checkin(c, r->id);
    store::notify_door_change(c, r->event_id);
    body["result"] = "undone";
    body["was_checked_in_at"] = format_utc(*r->checked_in_at);
    store::insert_log(c, {link->event_id, r->id, "undo", link->id, device, "", body.dump(), at, at});
    return result<nlohmann::json>{boost::system::in_place_value, body};
}

result<batch_outcome> check_in_batch(store::connection& c, const std::string& token, const std::vector<scan>& scans) {
    auto link = link_for_token(c, token);
    if (!link) return link.error();
    batch_outcome out;
    out.event_id = link->event_id;
    for (const auto& s : scans) {
        c.sql << "SAVEPOINT scan";
        auto o = check_in(c, *link, s);
        nlohmann::json item;
        if (o) {
            item = scan_answer(*o);
            if (o->result == checkin_result::checked_in && o->body.is_null()) ++out.changed;  // a replayed scan carries its stored answer
            c.sql << "RELEASE SAVEPOINT scan";
        } else {
            c.sql << "ROLLBACK TO SAVEPOINT scan";
            c.sql << "RELEASE SAVEPOINT scan";
            auto failed = o.error();
            item = {{"error", {{"code", code_name(failed.code)}, {"message", failed.message}}}};
            for (const auto& [name, object] : failed.context) item[name] = object;
            // A refusal is recorded for its nonce so a re-sent scan gets the same answer.
            if (!s.nonce.empty() && failed.code == errc::conflict) {
                auto r = find_scanned(c, link->event_id, s);
                if (r) store::insert_log(c, {link->event_id, r->id, "rejected", link->id, s.device_id, s.nonce, item.dump(),
                                             s.scanned_at.value_or(now()), now()});
            }
        }
        if (!s.ticket_code.empty()) item["ticket_code"] = s.ticket_code;
        else item["ticket_hash"] = s.ticket_hash;
        if (!s.nonce.empty()) item["nonce"] = s.nonce;
        out.results.push_back(std::move(item));
    }
    return out;
}

result<nlohmann::json> search_door(store::connection& c, const std::string& token, std::string_view event_ref, const std::string& q) {
    auto link = link_for_token(c, token);
    if (!link) return link.error();
    auto head = store::find_event_head(c, event_ref);
    if (!head || head->id != link->event_id) return not_found("No such event.");
    std::string folded = fold_for_search(trim(q));
    if (folded.size() < 2) return invalid_field("q", "needs at least 2 characters");
    if (folded.size() > 100) return invalid_field("q", "is longer than 100 bytes");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& h : store::search_attendees(c, link->event_id, folded, 25)) {
        nlohmann::json j = {{"name", h.name}, {"mode", h.mode}, {"status", h.status}, {"ticket_code", h.ticket_code}};
        j["checked_in_at"] = h.checked_in_at ? nlohmann::json(format_utc(*h.checked_in_at)) : nlohmann::json(nullptr);
        list.push_back(std::move(j));
    }
    return result<nlohmann::json>{boost::system::in_place_value, nlohmann::json{{"matches", list}}};
}

result<nlohmann::json> door_roster(store::connection& c, const std::string& token) {
    auto link = link_for_token(c, token);
    if (!link) return link.error();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : store::door_roster(c, link->event_id))
        list.push_back({{"name", r.name}, {"ticket_hash", r.ticket_hash}, {"checked_in", r.checked_in}});
    return result<nlohmann::json>{boost::system::in_place_value,
                                  nlohmann::json{{"event_id", link->event_id}, {"generated_at", format_utc(now())}, {"attendees", list}}};
}

result<nlohmann::json> door_session(store::connection& c, const std::string& token) {
    auto link = link_for_token(c, token);
    if (!link) return link.error();
    auto e = store::load_event(c, link->event_id);
    if (!e) return not_found("No such event.");
    nlohmann::json j = {{"link", {{"id", link->id}, {"label", link->label}, {"expires_at", format_utc(link->expires_at)}}},
                        {"event",
                         {{"id", e->id},
                          {"slug", e->spec.slug},
                          {"title", {{"en", e->spec.title.en}, {"fr", e->spec.title.fr}}},
                          {"format", e->spec.format},
                          {"timezone", e->spec.timezone},
                          {"starts_at", format_in_zone(e->spec.starts_at, e->spec.timezone)},
                          {"ends_at", format_in_zone(e->spec.ends_at, e->spec.timezone)},
                          {"venue", e->spec.where ? e->spec.where->name : ""}}},
                        {"counts", counts_json(store::count_door(c, link->event_id))}};
    return result<nlohmann::json>{boost::system::in_place_value, j};
}

}  // namespace ensemble::core::services
