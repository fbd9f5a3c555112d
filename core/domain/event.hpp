// The event as organizers describe it: bilingual text, format, time zone, venue, seats, agenda.
#pragma once

#include "core/domain/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ensemble::core {

// Text in English and French; one of them may be empty, not both (where required).
struct bilingual {
    std::string en;
    std::string fr;

    bool empty() const noexcept { return en.empty() && fr.empty(); }
    // The text in `lang`, falling back to the other language.
    const std::string& in(std::string_view lang) const noexcept {
        if (lang == "fr") return fr.empty() ? en : fr;
        return en.empty() ? fr : en;
    }
};

struct venue {
    std::string name;
    std::string address;
    std::string city;
    std::string province;
    std::string postal_code;
};

struct question_option {
    std::string id;
    bilingual label;
};

struct question {
    std::string id;
    bilingual label;
    std::string type;  // text | choice | multi | boolean
    std::vector<question_option> options;
    bool required = false;
};

struct agenda_session {
    bilingual title;
    instant starts_at{};
    instant ends_at{};
    std::string room;
    std::vector<std::string> speakers;
};

struct speaker {
    std::string id;
    std::string name;
    bilingual bio;
    std::string affiliation;
};

struct partner {
    std::string name;
    std::string role;  // host | partner | collaborator | sponsor
    std::string url;
};

struct online_settings {
    std::string provider = "none";  // zoom | manual | none
    std::string zoom_type = "meeting";  // meeting | webinar (provider zoom)
    std::string join_url;  // provider manual only; never public
    std::string passcode;  // never public
};

struct registration_window {
    std::optional<instant> opens_at;
    std::optional<instant> closes_at;
    bool waitlist = true;
};

enum class mode { in_person, online };
const char* mode_name(mode m) noexcept;
std::optional<mode> parse_mode(std::string_view s) noexcept;

// Everything an organizer sets; what the store keeps besides (id, status, seats) lives in event_record.
struct event_spec {
    std::string slug;
    bilingual title;
    bilingual summary;
    bilingual description;  // Markdown
    std::string format = "in_person";  // in_person | online | hybrid
    std::string timezone = "America/Toronto";
    instant starts_at{};
    instant ends_at{};
    std::optional<venue> where;
    long long capacity_in_person = 0;
    long long capacity_online = 0;
    registration_window registration;
    std::vector<std::string> languages;
    std::vector<question> questions;
    std::vector<agenda_session> sessions;
    std::vector<speaker> speakers;
    std::vector<partner> partners;
    online_settings online;
    std::string recording_url;

    bool has_mode(mode m) const noexcept {
        return m == mode::in_person ? format != "online" : format != "in_person";
    }
    long long capacity(mode m) const noexcept {
        return m == mode::in_person ? capacity_in_person : capacity_online;
    }
};

struct seat_counts {
    long long capacity = 0;
    long long taken = 0;
    long long waitlisted = 0;
    long long remaining() const noexcept { return capacity > taken ? capacity - taken : 0; }
};

struct event_record {
    long long id = 0;
    std::string status = "draft";  // draft | published | cancelled
    long long owner_id = 0;
    event_spec spec;
    seat_counts in_person;
    seat_counts online;
    std::string zoom_id;  // meeting or webinar id once created
    instant created_at{};
    instant updated_at{};
    long long version = 0;

    const seat_counts& seats(mode m) const noexcept { return m == mode::in_person ? in_person : online; }
};

// Checks every rule of an event description; returns the bad fields by their JSON path.
field_errors validate_event(const event_spec& e);

// A URL-safe slug from a title: lower case, accents folded, words joined by '-'.
std::string slugify(std::string_view title);
bool is_valid_slug(std::string_view slug) noexcept;
bool is_http_url(std::string_view url) noexcept;

}  // namespace ensemble::core
