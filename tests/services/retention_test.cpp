// Retention: N days after an event ends its registrants' personal data is gone from the database
// itself (every table read back as text), while counts and choice answers stay for the report.
#include "core/domain/time.hpp"
#include "core/services/reports.hpp"
#include "core/store/row.hpp"
#include "tests/services/world.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace bdata = boost::unit_test::data;
namespace core = ensemble::core;
namespace services = ensemble::core::services;
using ensemble::test::world;
using json = nlohmann::json;

namespace {

// Every text value of every row of `table`.
std::vector<std::string> texts_of(world& w, const std::string& table) {
    std::vector<std::string> out;
    auto c = w.db.connect();
    soci::rowset<soci::row> rows = (c->sql.prepare << "SELECT * FROM " + table);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i)
            if (r.get_indicator(i) != soci::i_null && r.get_properties(i).get_data_type() == soci::dt_string) out.push_back(r.get<std::string>(i));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(retention)

BOOST_DATA_TEST_CASE(ended_events_lose_personal_data_and_keep_their_counts, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long ended = w.make_event(2, 5, true);
    json later_body = world::event_body(2, 5, true);  // 60 days later than the first
    auto later_start = core::now() + std::chrono::hours(24 * 90);
    later_body["starts_at"] = core::format_in_zone(later_start, "America/Toronto");
    later_body["ends_at"] = core::format_in_zone(later_start + std::chrono::hours(3), "America/Toronto");
    long long later = w.make_event(later_body);
    const std::vector<std::pair<std::string, std::string>> people = {
        {"Amara Okonkwo", "amara.okonkwo@example.org"}, {"Zoë Côté", "zoe.cote@example.org"}, {"محمد الأحمد", "m.alahmad@example.org"}};
    for (std::size_t i = 0; i < people.size(); ++i) {
        json answers = {{"profession", "Family physician trained in Lagos"}, {"province", "on"}};
        auto r = w.try_register(ended, people[i].first, people[i].second, i == 2 ? "online" : "in_person", false, {}, answers);
        BOOST_TEST_REQUIRE(r.has_value());
    }
    w.enrol(later, "Kept Person", "kept.person@example.org", "in_person");
    auto before = w.event(ended);
    core::instant end = before.spec.ends_at;

    // Not yet: the event ended 10 days ago with a 30-day retention.
    auto none = w.exec->write_now([end](core::store::connection& c) -> core::result<long long> {
        return services::apply_retention(c, 30, end + std::chrono::days(10));
    });
    BOOST_TEST_REQUIRE(none.has_value());
    BOOST_TEST(*none == 0);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations WHERE email = 'amara.okonkwo@example.org'") == 1);

    // 31 days after the end: anonymised, once.
    auto done = w.exec->write_now([end](core::store::connection& c) -> core::result<long long> {
        return services::apply_retention(c, 30, end + std::chrono::days(31));
    });
    BOOST_TEST_REQUIRE(done.has_value());
    BOOST_TEST(*done == 1);  // the later event is untouched
    for (const char* table : {"registrations", "outbox", "checkin_log", "zoom_attendance", "idempotency_keys", "audit_log"})
        for (const auto& text : texts_of(w, table))
            for (const auto& [name, email] : people) {
                BOOST_TEST(text.find(name) == std::string::npos, table << " still holds " << name);
                BOOST_TEST(text.find(email) == std::string::npos, table << " still holds " << email);
                BOOST_TEST(text.find("Lagos") == std::string::npos, table << " still holds a free-text answer");
            }
    // Counts, seats and choice answers stay for the report; the other event keeps its people.
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations WHERE event_id = " + std::to_string(ended)) == 3);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations WHERE event_id = " + std::to_string(ended) + " AND erased_at IS NOT NULL") == 3);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations WHERE answers LIKE '%\"province\":\"on\"%'") == 3);
    auto after = w.event(ended);
    BOOST_TEST(after.in_person.taken == before.in_person.taken);
    BOOST_TEST(after.online.taken == before.online.taken);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM registrations WHERE email = 'kept.person@example.org'") == 1);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.anonymise'") == 1);

    auto again = w.exec->write_now([end](core::store::connection& c) -> core::result<long long> {
        return services::apply_retention(c, 30, end + std::chrono::days(40));
    });
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST(*again == 0);
    // A retention of 0 keeps everything.
    auto off = w.exec->write_now([end](core::store::connection& c) -> core::result<long long> {
        return services::apply_retention(c, 0, end + std::chrono::days(4000));
    });
    BOOST_TEST(*off == 0);
}

BOOST_AUTO_TEST_SUITE_END()
