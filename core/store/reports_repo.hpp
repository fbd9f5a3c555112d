// SQL for organizer reports: counts per mode and status, attendance, registrations over time,
// answers to questions, and the audit log.
#pragma once

#include "core/domain/time.hpp"
#include "core/store/database.hpp"

#include <map>
#include <string>
#include <vector>

namespace ensemble::core::store {

struct mode_report {
    long long confirmed = 0, waitlisted = 0, cancelled = 0, checked_in = 0, joined_online = 0;
};
// Per mode ("in_person", "online").
std::map<std::string, mode_report> report_counts(connection& c, long long event_id);

// Registrations created per local day (in `timezone`), per mode.
struct day_count {
    std::string day;
    long long in_person = 0, online = 0;
};
std::vector<day_count> registrations_per_day(connection& c, long long event_id, const std::string& timezone);

// The answers JSON of every registration that is not cancelled (for breakdowns), with its mode.
std::vector<std::pair<std::string, std::string>> active_answers(connection& c, long long event_id);

struct audit_entry {
    long long id = 0;
    instant at{};
    long long user_id = 0;
    std::string user_email;
    std::string action;
    long long event_id = 0;
    std::string subject;
    std::string detail;
};
std::vector<audit_entry> list_audit(connection& c, long long event_id, std::size_t limit);

// Erases personal data of registrations of events that ended before `cutoff` and are not yet
// anonymised: names, emails, free-text answers, devices, Zoom identities, message addresses.
// Counts, modes, statuses, check-in times and categorical answers stay. Returns the event ids.
std::vector<long long> anonymise_ended_events(connection& c, instant cutoff, instant at);

}  // namespace ensemble::core::store
