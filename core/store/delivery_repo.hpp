// SQL the delivery layer needs: Zoom ids and attendance, reminder runs, events due for reminders.
#pragma once

#include "core/domain/time.hpp"
#include "core/store/database.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ensemble::core::store {

// The event whose meeting or webinar has this Zoom id.
std::optional<long long> event_by_zoom_id(connection& c, const std::string& zoom_id);
// The registration of an event with this Zoom registrant id, else (when given) with this email.
std::optional<long long> registration_by_zoom_participant(connection& c, long long event_id, const std::string& registrant_id,
                                                          const std::string& email_norm);

struct attendance_mark {
    long long event_id = 0;
    std::optional<long long> registration_id;
    std::string participant_key;
    bool joined = true;
    instant at{};
    std::string delivery_key;  // unique per notification: a redelivery changes nothing
};
// A join opens a row; a leave closes the participant's open row (or records a lone leave).
// Returns false when this notification had been recorded before.
bool record_attendance(connection& c, const attendance_mark& m);
// How many distinct registrations of the event joined online.
long long count_online_attendees(connection& c, long long event_id);

// Published events starting in (after, until]: their ids and start times, soonest first.
std::vector<std::pair<long long, instant>> published_events_starting(connection& c, instant after, instant until);

// Reminder runs: one per event, offset and start time, so a reminder goes out once.
bool reminder_ran(connection& c, long long event_id, int minutes_before, instant starts_at);
void record_reminder_run(connection& c, long long event_id, int minutes_before, instant starts_at, instant at, long long messages);

}  // namespace ensemble::core::store
