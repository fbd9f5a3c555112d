// A fresh database with three accounts and helpers to make events and registrations through the use cases.
#pragma once

#include "core/services/events.hpp"
#include "core/services/registrations.hpp"
#include "tests/core/printers.hpp"
#include "tests/store/test_database.hpp"

#include <nlohmann/json.hpp>

namespace ensemble::test {

struct registered {
    long long id = 0;
    std::string status;
    std::string manage_token;
    std::string ticket_code;
    long long waitlist_position = 0;
};

class world {
public:
    explicit world(const std::string& backend, int postgres_writers = 4);
    ~world();

    test_database db;
    std::unique_ptr<core::store::storage> exec;  // the storage executor, as the server uses it
    core::services::event_cache events;
    core::services::actor admin, alice, bob;  // alice and bob are organizers

    // A complete event body: hybrid, Toronto, a month from now, two questions (one required).
    static nlohmann::json event_body(long long in_person, long long online, bool waitlist = true);

    // Creates (and publishes, unless `publish` is false) an event owned by alice; returns its id.
    long long make_event(const nlohmann::json& body, bool publish = true);
    long long make_event(long long in_person, long long online, bool waitlist = true, bool publish = true);

    // Registers through register_attendee in a write transaction.
    core::result<core::services::registration_reply> try_register(long long event_id, const std::string& name, const std::string& email,
                                                                   const std::string& mode, bool waitlist = false,
                                                                   const std::string& idempotency_key = {},
                                                                   nlohmann::json answers = {{"profession", "Nurse"}});
    // As try_register, and the registration must succeed.
    registered enrol(long long event_id, const std::string& name, const std::string& email, const std::string& mode,
                     bool waitlist = false);

    core::result<core::services::registration_change> cancel(const std::string& token);
    core::result<core::services::registration_change> switch_to(const std::string& token, const std::string& mode);
    core::result<nlohmann::json> view(const std::string& token);
    core::event_record event(long long id);

    // taken == confirmed, waitlisted == waitlisted rows, taken <= capacity, for both modes.
    void check_invariants(long long event_id);
    // The outbox kinds of a registration, oldest first.
    std::vector<std::string> outbox_kinds(long long registration_id);
    long long count(const std::string& sql);
    std::string status_of(long long registration_id);
};

}  // namespace ensemble::test
