// Filling an iCalendar event from a registration and its event.
#include "integrations/calendar/registration_ics.hpp"

namespace ensemble::integrations {

std::string venue_line(const core::venue& v) {
    std::string out;
    for (const std::string* part : {&v.name, &v.address, &v.city, &v.province, &v.postal_code}) {
        if (part->empty()) continue;
        if (!out.empty()) out += ", ";
        out += *part;
    }
    return out;
}

ics_event registration_ics_event(const core::event_record& e, const core::registration& r, const ics_context& ctx,
                                 const std::string& join_url, const std::string& passcode, core::instant stamp) {
    const std::string& lang = r.language;
    bool fr = lang == "fr";
    ics_event ics;
    ics.uid = "event-" + std::to_string(e.id) + "-registration-" + std::to_string(r.id) + "@" + ctx.host;
    ics.stamp = stamp;
    ics.starts_at = e.spec.starts_at;
    ics.ends_at = e.spec.ends_at;
    ics.summary = e.spec.title.in(lang);
    std::string manage = ctx.public_url + "/manage/" + r.manage_token;
    ics.description = e.spec.summary.in(lang);
    if (!ics.description.empty()) ics.description += "\n\n";
    ics.description += (fr ? "Gérer votre inscription : " : "Manage your registration: ") + manage;
    if (r.mode == core::mode::online) {
        ics.location = fr ? "En ligne" : "Online";
        if (!join_url.empty()) {
            ics.description += std::string("\n") + (fr ? "Lien pour vous joindre : " : "Join link: ") + join_url;
            if (!passcode.empty()) ics.description += std::string("\n") + (fr ? "Code secret : " : "Passcode: ") + passcode;
        }
    } else if (e.spec.where) {
        ics.location = venue_line(*e.spec.where);
    }
    ics.url = ctx.public_url + "/events/" + e.spec.slug;
    ics.organizer_name = ctx.organizer_name;
    ics.organizer_email = ctx.organizer_email;
    ics.sequence = e.version;
    ics.cancelled = e.status == "cancelled" || r.status == core::registration_status::cancelled;
    return ics;
}

}  // namespace ensemble::integrations
