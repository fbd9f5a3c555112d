// Turning an email outbox row into a message: checks it is still due, fills the template values
// from the current registration and event, renders, and attaches the ticket and calendar file.
#pragma once

#include "core/services/delivery.hpp"
#include "integrations/mail/mime.hpp"
#include "integrations/mail/templates.hpp"

#include <optional>
#include <string>

namespace ensemble::integrations {

struct mail_context {
    std::string public_url;  // without a trailing slash
    mail_address from;
};

// The row being sent: its id and creation time fix the Message-ID.
struct mail_row {
    long long outbox_id = 0;
    std::string kind;  // "email.confirmation"
    nlohmann::json payload = nlohmann::json::object();
    core::instant created_at{};
};

// "<outbox-42.1f2e3d4c5b6a7980@example.org>": the same for every attempt at a row.
std::string outbox_message_id(long long outbox_id, core::instant created_at, std::string_view domain);

// Why the row should not be sent any more (the registration was cancelled or erased meanwhile,
// the event moved, ...), or nothing when it should.
std::optional<std::string> stale_reason(const mail_row& row, const core::services::delivery_facts& f, core::instant at);

// The Mustache values of a row: texts in the registration's language, links, join details
// (only for confirmed online seats), waitlist position, recording link.
nlohmann::json template_values(const mail_row& row, const core::services::delivery_facts& f, const mail_context& ctx, core::instant at);

// "Saturday, November 22, 2025 at 9:30 AM EST" / "samedi 22 novembre 2025 à 9 h 30 (EST)".
std::string describe_instant(core::instant t, std::string_view timezone, std::string_view lang);

// The full message of a row. Throws std::runtime_error when a template is missing (a broken
// installation), or when the facts lack the registration or event (check stale_reason first).
email_message compose_email(const template_set& templates, const mail_row& row, const core::services::delivery_facts& f,
                            const mail_context& ctx, core::instant at);

}  // namespace ensemble::integrations
