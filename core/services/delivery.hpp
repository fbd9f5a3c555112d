// Use cases of the delivery layer: what a message needs at send time, Zoom results, reminders,
// attendance from webhooks, and the organizer's outbox view and retries.
#pragma once

#include "core/domain/outbox.hpp"
#include "core/domain/registration_record.hpp"
#include "core/services/actor.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace ensemble::core::services {

// The current registration and event of an outbox row (either may be gone).
struct delivery_facts {
    std::optional<registration> reg;
    std::optional<event_record> event;  // with seat counts
    long long waitlist_position = 0;
};
delivery_facts load_delivery_facts(store::connection& c, long long event_id, long long registration_id);

// The join link a registration may see: only a confirmed online seat of a published event gets
// one (its personal Zoom link, or the organizer's pasted link and passcode with provider manual).
struct join_details {
    std::string url;
    std::string passcode;
};
join_details join_details_of(const event_record& e, const registration& r);

// Stores a Zoom registrant and its personal link. When the seat's confirmation email has already
// been claimed or sent, queues an email.join_link row; returns whether it did.
bool record_zoom_registrant(store::connection& c, long long registration_id, const std::string& registrant_id, const std::string& join_url);
// Stores the meeting or webinar id and makes the add-registrant rows that waited for it due now.
void record_zoom_meeting(store::connection& c, long long event_id, const std::string& zoom_id);

// Queues reminders: for each published event and each offset (minutes before the start) whose
// time has come (starts_at - offset <= at < starts_at) and has not run, one email.reminder per
// confirmed registration. When several offsets are due at once only the nearest sends (the
// others are recorded as run). Returns how many rows were queued.
long long plan_reminders(store::connection& c, const std::vector<int>& offsets_minutes, instant at);

struct zoom_participant {
    std::string zoom_id;
    std::string registrant_id;
    std::string email;
    std::string participant_key;
    bool joined = true;
    instant at{};
    std::string delivery_key;
};
// Records a participant joining or leaving; false when the meeting is not ours or the notification
// was recorded before (redelivery).
bool record_zoom_participant(store::connection& c, const zoom_participant& p);

// The organizer's view of the outbox: messages of the events they manage (all for an admin).
// `status` is empty, pending (rows being sent count as pending), sent, failed or cancelled;
// `event_ref` narrows to one event. Fails with validation (bad status) or not_found (event).
result<nlohmann::json> list_outbox_messages(store::connection& c, const actor& who, const std::string& status, const std::string& event_ref);
// Makes a failed or pending message due now with a fresh attempt budget. not_found unless the actor
// manages its event (admins: any); conflict when it was sent or cancelled.
result<nlohmann::json> retry_outbox_message(store::connection& c, const actor& who, long long id);
// Retries every failed message of an event. Returns {"retried": n}.
result<nlohmann::json> retry_failed_of_event(store::connection& c, const actor& who, std::string_view event_ref);

// The API's JSON of a message.
nlohmann::json outbox_message_json(const outbox_message& m);

}  // namespace ensemble::core::services
