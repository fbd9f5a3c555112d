// The services tests' world: accounts, events and registrations made through the real use cases.
#include "tests/services/world.hpp"

#include "core/domain/event_json.hpp"
#include "core/security/crypto.hpp"
#include "core/services/accounts.hpp"
#include "core/store/registrations_repo.hpp"
#include "core/store/row.hpp"

#include <boost/test/unit_test.hpp>

namespace ensemble::test {

namespace services = core::services;
namespace store = core::store;
using json = nlohmann::json;

world::world(const std::string& backend, int postgres_writers) : db(backend), exec(db.open_storage(postgres_writers)) {
    core::init_crypto();
    auto make = [&](const char* email, const char* role) {
        auto u = exec->write_now([&](store::connection& c) {
            return services::create_user(c, services::new_user{email, email, role, "a long enough password"}, "$argon2id$dummy");
        });
        BOOST_REQUIRE(u.has_value());
        return services::actor_of(*u);
    };
    admin = make("admin@example.org", "admin");
    alice = make("alice@example.org", "organizer");
    bob = make("bob@example.org", "organizer");
}

world::~world() { exec->stop(); }

json world::event_body(long long in_person, long long online, bool waitlist) {
    auto starts = core::now() + std::chrono::hours(24 * 30);
    std::string tz = "America/Toronto";
    return json{{"title", {{"en", "Hybrid Seminar on Licensing"}, {"fr", "Séminaire hybride sur l'autorisation"}}},
                {"format", "hybrid"},
                {"timezone", tz},
                {"starts_at", core::format_in_zone(starts, tz)},
                {"ends_at", core::format_in_zone(starts + std::chrono::hours(3), tz)},
                {"venue", {{"name", "Toronto Reference Library"}, {"city", "Toronto"}, {"province", "ON"}}},
                {"capacity", {{"in_person", in_person}, {"online", online}}},
                {"registration", {{"waitlist", waitlist}}},
                {"questions",
                 {{{"id", "profession"}, {"label", "Profession"}, {"type", "text"}, {"required", true}},
                  {{"id", "province"},
                   {"label", "Province"},
                   {"type", "choice"},
                   {"options", {{{"id", "on"}, {"label", "Ontario"}}, {{"id", "qc"}, {"label", "Québec"}}}}}}},
                {"online", {{"provider", "manual"}, {"join_url", "https://zoom.us/j/5551234567"}, {"passcode", "licence"}}}};
}

long long world::make_event(const json& body, bool publish) {
    auto spec = core::event_spec_from_json(body);
    BOOST_REQUIRE_MESSAGE(spec.has_value(), "the event body does not validate");
    auto who = alice;
    auto e = exec->write_now([&](store::connection& c) -> core::result<core::event_record> {
        auto created = services::create_event(c, who, *spec);
        if (!created || !publish) return created;
        return services::publish_event(c, who, std::to_string(created->id));
    });
    BOOST_REQUIRE_MESSAGE(e.has_value(), "cannot create the event: " << (e ? "" : e.error().message));
    return e->id;
}

long long world::make_event(long long in_person, long long online, bool waitlist, bool publish) {
    return make_event(event_body(in_person, online, waitlist), publish);
}

core::result<services::registration_reply> world::try_register(long long event_id, const std::string& name, const std::string& email,
                                                                const std::string& mode, bool waitlist, const std::string& key,
                                                                json answers) {
    services::registration_command cmd;
    cmd.event_ref = std::to_string(event_id);
    cmd.request.name = name;
    cmd.request.email = email;
    cmd.request.mode = mode;
    cmd.request.language = "en";
    cmd.request.answers = std::move(answers);
    cmd.request.waitlist = waitlist;
    cmd.request.consent = true;
    cmd.idempotency_key = key;
    cmd.request_hash = core::sha256_hex(name + "|" + email + "|" + mode + "|" + (waitlist ? "w" : ""));
    return exec->write_now([&](store::connection& c) { return services::register_attendee(c, events, cmd); });
}

registered world::enrol(long long event_id, const std::string& name, const std::string& email, const std::string& mode, bool waitlist) {
    auto r = try_register(event_id, name, email, mode, waitlist);
    BOOST_REQUIRE_MESSAGE(r.has_value(), "cannot register " << email << ": " << (r ? "" : r.error().message));
    auto body = json::parse(r->body);
    registered out;
    out.id = body["id"];
    out.status = body["status"];
    out.manage_token = body["manage_token"];
    out.ticket_code = body["ticket_code"];
    out.waitlist_position = body.value("waitlist_position", 0LL);
    return out;
}

core::result<services::registration_change> world::cancel(const std::string& token) {
    return exec->write_now([&](store::connection& c) { return services::cancel_registration(c, events, token); });
}

core::result<services::registration_change> world::switch_to(const std::string& token, const std::string& mode) {
    return exec->write_now([&](store::connection& c) { return services::switch_mode(c, events, token, mode); });
}

core::result<json> world::view(const std::string& token) {
    return exec->read_now([&](store::connection& c) { return services::registration_view(c, events, token); });
}

core::event_record world::event(long long id) {
    auto e = exec->read_now([&](store::connection& c) { return services::load_event_with_seats(c, id); });
    BOOST_REQUIRE(e.has_value());
    return *e;
}

void world::check_invariants(long long event_id) {
    auto c = db.connect();
    for (core::mode m : {core::mode::in_person, core::mode::online}) {
        auto pool = store::load_pool(*c, event_id, m);
        auto counts = store::count_registrations(*c, event_id, m);
        BOOST_TEST_CONTEXT("event " << event_id << " " << core::mode_name(m)) {
            BOOST_TEST(pool.taken == counts.confirmed);
            BOOST_TEST(pool.waitlisted == counts.waitlisted);
            BOOST_TEST(pool.taken <= pool.capacity);
            BOOST_TEST(pool.taken >= 0);
        }
    }
}

std::vector<std::string> world::outbox_kinds(long long registration_id) {
    auto c = db.connect();
    std::vector<std::string> out;
    std::string kind;
    soci::statement st = (c->sql.prepare << "SELECT kind FROM outbox WHERE registration_id = :r ORDER BY id", soci::use(registration_id),
                          soci::into(kind));
    st.execute();
    while (st.fetch()) out.push_back(kind);
    return out;
}

long long world::count(const std::string& sql) {
    auto c = db.connect();
    return scalar(*c, sql);
}

std::string world::status_of(long long registration_id) {
    auto c = db.connect();
    auto r = store::find_registration(*c, registration_id);
    return r ? core::status_name(r->status) : "";
}

}  // namespace ensemble::test
