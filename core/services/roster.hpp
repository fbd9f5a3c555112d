// The organizer's view of who registered: filtered lists and the CSV export.
#pragma once

#include "core/services/actor.hpp"
#include "core/store/registrations_repo.hpp"

#include <nlohmann/json.hpp>

namespace ensemble::core::services {

struct roster_query {
    std::string event_ref;
    std::string status;
    std::string mode;
    std::string q;
    std::string sort = "created";
    bool descending = false;
};

// Registrations of an event the actor manages (not_found otherwise), with waitlist places.
result<nlohmann::json> roster(store::connection& c, const actor& who, const roster_query& q);
// The same as CSV (UTF-8 with BOM), one column per question; the export is written to the audit log.
result<std::string> roster_csv(store::connection& c, const actor& who, const roster_query& q);

}  // namespace ensemble::core::services
