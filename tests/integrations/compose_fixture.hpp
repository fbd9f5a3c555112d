// A registration and its event as an outbox row sees them, for template and composition tests.
#pragma once

#include "core/services/delivery.hpp"

namespace ensemble::test {

inline core::services::delivery_facts sample_facts(core::mode m, const std::string& lang) {
    core::services::delivery_facts f;
    core::event_record e;
    e.id = 42;
    e.status = "published";
    e.version = 2;
    e.spec.slug = "summit-2025";
    e.spec.title = {"Annual Summit <2025> & Friends", "Sommet annuel <2025> & amis"};
    e.spec.summary = {"For internationally educated health professionals", "Pour les professionnels de la santé formés à l’étranger"};
    e.spec.format = "hybrid";
    e.spec.timezone = "America/Toronto";
    e.spec.starts_at = *core::parse_instant("2025-11-22T09:30:00-05:00", "UTC");
    e.spec.ends_at = *core::parse_instant("2025-11-22T16:00:00-05:00", "UTC");
    e.spec.where = core::venue{"Metro Hall", "55 John St", "Toronto", "ON", "M5V 3C6"};
    e.spec.online.provider = "zoom";
    e.spec.recording_url = "https://video.example.org/r/1";
    f.event = e;
    core::registration r;
    r.id = 1001;
    r.event_id = 42;
    r.mode = m;
    r.status = core::registration_status::confirmed;
    r.name = "Amélie <b>Côté</b> & \"Co\"";
    r.email = "amelie@example.org";
    r.language = lang;
    r.ticket_code = "TICKET-abc123";
    r.manage_token = "manage-xyz";
    f.reg = r;
    return f;
}

}  // namespace ensemble::test
