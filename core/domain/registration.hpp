// Rules of a registration: who may register, how answers are checked, where a seat comes from.
#pragma once

#include "core/domain/event.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace ensemble::core {

enum class registration_status { confirmed, waitlisted, cancelled };
const char* status_name(registration_status s) noexcept;
std::optional<registration_status> parse_status(std::string_view s) noexcept;

struct registration_request {
    std::string name;
    std::string email;
    std::string mode;
    std::string language;
    nlohmann::json answers = nlohmann::json::object();
    bool waitlist = false;
    bool consent = false;
};

// A request that passed every rule, with the email normalised and the answers reduced to the
// event's questions.
struct checked_registration {
    std::string name;
    std::string email;       // as typed, trimmed
    std::string email_norm;  // trimmed, lower case
    core::mode mode = core::mode::in_person;
    std::string language;
    nlohmann::json answers;
    bool waitlist = false;
};

std::string trim(std::string_view s);
std::string normalize_email(std::string_view email);
bool is_valid_email(std::string_view email) noexcept;
// True when every byte sequence is valid UTF-8 and nothing is a control character but tab or newline.
bool is_clean_text(std::string_view s) noexcept;

// Reads the request body of a registration; a wrongly typed field is a validation failure naming it.
result<registration_request> registration_request_from_json(const nlohmann::json& body);

// Checks a request against the event: fields, answers against its questions, mode offered, window
// open, event published. `at` is the time of the request.
result<checked_registration> check_registration(const event_record& e, const registration_request& r, instant at);

// Checks answers alone (used when an organizer edits them): unknown questions are dropped.
field_errors check_answers(const event_spec& e, const nlohmann::json& answers, nlohmann::json& cleaned);

enum class seat_outcome { confirm, waitlist, full };

// Where a new registration of a mode goes, given the pool and whether the person accepts a waitlist.
seat_outcome place(const seat_counts& pool, bool wants_waitlist, bool event_has_waitlist) noexcept;

}  // namespace ensemble::core
