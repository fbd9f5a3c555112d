// Event use cases: slugs, who may see drafts, merge-patch edits, capacity changes, publish, cancel, duplicate.
#include "core/services/events.hpp"

#include "core/domain/event_json.hpp"
#include "core/store/events_repo.hpp"
#include "core/store/outbox_repo.hpp"
#include "tests/services/world.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace bdata = boost::unit_test::data;
namespace core = ensemble::core;
namespace services = ensemble::core::services;
namespace store = ensemble::core::store;
using ensemble::test::world;
using json = nlohmann::json;

namespace {

core::event_spec spec_of(const json& body) {
    auto s = core::event_spec_from_json(body);
    BOOST_REQUIRE(s.has_value());
    return *s;
}

core::result<core::event_record> create(world& w, const services::actor& who, core::event_spec spec) {
    return w.exec->write_now([&](store::connection& c) { return services::create_event(c, who, spec); });
}

core::result<core::event_record> get(world& w, const std::string& ref, const services::actor* who) {
    return w.exec->read_now([&](store::connection& c) { return services::get_event(c, ref, who); });
}

core::result<services::event_change> patch(world& w, const services::actor& who, long long id, const json& p) {
    return w.exec->write_now([&](store::connection& c) { return services::update_event(c, who, std::to_string(id), p); });
}

core::result<core::event_record> publish(world& w, const services::actor& who, long long id) {
    return w.exec->write_now([&](store::connection& c) { return services::publish_event(c, who, std::to_string(id)); });
}

core::result<services::event_change> cancel_event(world& w, const services::actor& who, long long id) {
    return w.exec->write_now([&](store::connection& c) { return services::cancel_event(c, who, std::to_string(id)); });
}

std::vector<long long> list_ids(world& w, store::event_scope scope, const services::actor* who) {
    auto r = w.exec->read_now([&](store::connection& c) { return services::list_events(c, {scope, 200}, who); });
    BOOST_REQUIRE(r.has_value());
    std::vector<long long> ids;
    for (const auto& e : *r) ids.push_back(e.id);
    return ids;
}

long long outbox_count(world& w, long long event_id, const std::string& kind, const std::string& status = "") {
    return w.count("SELECT COUNT(*) FROM outbox WHERE event_id = " + std::to_string(event_id) + " AND kind = '" + kind + "'" +
                   (status.empty() ? "" : " AND status = '" + status + "'"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(events)

BOOST_DATA_TEST_CASE(generated_slugs_are_numbered_and_given_ones_must_be_free, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    auto spec = spec_of(world::event_body(10, 10));
    spec.slug.clear();
    auto first = create(w, w.alice, spec);
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(first->spec.slug == "hybrid-seminar-on-licensing");
    BOOST_TEST(first->status == "draft");
    BOOST_TEST(first->owner_id == w.alice.user_id);
    BOOST_TEST(create(w, w.alice, spec)->spec.slug == "hybrid-seminar-on-licensing-2");
    BOOST_TEST(create(w, w.bob, spec)->spec.slug == "hybrid-seminar-on-licensing-3");

    spec.slug = "licensing-2025";
    BOOST_TEST(create(w, w.alice, spec)->spec.slug == "licensing-2025");
    auto taken = create(w, w.bob, spec);
    BOOST_TEST_REQUIRE(!taken.has_value());
    BOOST_TEST((taken.error().code == core::errc::validation));
    BOOST_TEST(taken.error().fields.contains("slug"));
}

BOOST_DATA_TEST_CASE(a_body_without_slug_gets_a_numbered_slug_like_the_api_makes_it, bdata::make(ensemble::test::backends()), backend) {
    // The HTTP handler reads the body with event_spec_from_json and hands the spec to create_event.
    world w(backend);
    auto body = world::event_body(10, 10);
    BOOST_TEST_REQUIRE(!body.contains("slug"));
    auto first = create(w, w.alice, spec_of(body));
    BOOST_TEST_REQUIRE(first.has_value());
    auto second = create(w, w.alice, spec_of(body));
    BOOST_TEST_REQUIRE(second.has_value(), "a second event with the same title and no slug was refused");
    BOOST_TEST(second->spec.slug == first->spec.slug + "-2");
}

BOOST_DATA_TEST_CASE(drafts_are_seen_only_by_their_organizers, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(10, 10, true, false);
    std::string slug = w.event(id).spec.slug;
    for (const std::string& ref : {std::to_string(id), slug}) {
        BOOST_TEST((get(w, ref, nullptr).error().code == core::errc::not_found));
        BOOST_TEST((get(w, ref, &w.bob).error().code == core::errc::not_found));  // not forbidden: it does not exist for bob
        BOOST_TEST(get(w, ref, &w.alice).has_value());
        BOOST_TEST(get(w, ref, &w.admin).has_value());
    }
    BOOST_TEST((patch(w, w.bob, id, {{"summary", "mine now"}}).error().code == core::errc::not_found));
    BOOST_TEST((publish(w, w.bob, id).error().code == core::errc::not_found));
    BOOST_TEST((cancel_event(w, w.bob, id).error().code == core::errc::not_found));

    w.exec->write_now([&](store::connection& c) -> core::result<int> {
        store::add_event_organizer(c, id, w.bob.user_id);
        return 0;
    });
    BOOST_TEST(get(w, slug, &w.bob).has_value());
    BOOST_TEST(patch(w, w.bob, id, {{"summary", {{"en", "Co-organised"}}}}).has_value());

    BOOST_TEST(publish(w, w.alice, id).has_value());
    BOOST_TEST(get(w, slug, nullptr).has_value());
    BOOST_TEST((get(w, "no-such-event", nullptr).error().code == core::errc::not_found));
    BOOST_TEST((get(w, "999999", &w.admin).error().code == core::errc::not_found));
}

BOOST_DATA_TEST_CASE(lists_show_published_upcoming_soonest_first, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    auto at_days = [](int days) {
        auto body = world::event_body(5, 5);
        auto starts = core::now() + std::chrono::hours(24 * days);
        body["starts_at"] = core::format_utc(starts);
        body["ends_at"] = core::format_utc(starts + std::chrono::hours(2));
        return body;
    };
    long long later = w.make_event(at_days(60));
    long long sooner = w.make_event(at_days(10));
    long long draft = w.make_event(at_days(5), false);
    long long cancelled = w.make_event(at_days(7));
    BOOST_TEST(cancel_event(w, w.alice, cancelled).has_value());
    auto past_body = at_days(-3);
    long long past = w.make_event(past_body);
    auto bobs = spec_of(at_days(20));
    long long bob_draft = create(w, w.bob, bobs)->id;

    BOOST_TEST(list_ids(w, store::event_scope::published_upcoming, nullptr) == (std::vector<long long>{sooner, later}));
    BOOST_TEST(list_ids(w, store::event_scope::published_past, nullptr) == (std::vector<long long>{past}));
    auto alices = list_ids(w, store::event_scope::all_of_user, &w.alice);
    BOOST_TEST(alices.size() == 5u);
    BOOST_TEST((std::find(alices.begin(), alices.end(), draft) != alices.end()));
    BOOST_TEST((std::find(alices.begin(), alices.end(), bob_draft) == alices.end()));
    BOOST_TEST(list_ids(w, store::event_scope::all_of_user, &w.bob) == (std::vector<long long>{bob_draft}));
    BOOST_TEST(list_ids(w, store::event_scope::all_of_user, &w.admin).size() == 6u);
    auto anonymous = w.exec->read_now([&](store::connection& c) { return services::list_events(c, {store::event_scope::all, 10}, nullptr); });
    BOOST_TEST((anonymous.error().code == core::errc::unauthenticated));
}

BOOST_DATA_TEST_CASE(edits_are_merge_patches, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(10, 10);
    auto before = w.event(id);
    auto changed = patch(w, w.alice, id, {{"title", {{"fr", "Nouveau titre"}}}, {"venue", {{"city", "Ottawa"}}}, {"questions", nullptr}});
    BOOST_TEST_REQUIRE(changed.has_value());
    const auto& e = changed->event;
    BOOST_TEST(e.spec.title.en == before.spec.title.en);
    BOOST_TEST(e.spec.title.fr == "Nouveau titre");
    BOOST_TEST(e.spec.where->city == "Ottawa");
    BOOST_TEST(e.spec.where->name == before.spec.where->name);
    BOOST_TEST(e.spec.questions.empty());
    BOOST_TEST(e.spec.online.join_url == before.spec.online.join_url);  // kept when the patch does not mention it
    BOOST_TEST(e.version > before.version);
    BOOST_TEST(e.spec.slug == before.spec.slug);

    auto bad = patch(w, w.alice, id, {{"format", "webinar"}, {"capacity", {{"online", -1}}}});
    BOOST_TEST_REQUIRE(!bad.has_value());
    BOOST_TEST((bad.error().code == core::errc::validation));
    BOOST_TEST(bad.error().fields.contains("format"));
    BOOST_TEST(w.event(id).spec.format == "hybrid");
    BOOST_TEST((patch(w, w.alice, id, json::array()).error().code == core::errc::validation));

    long long other = w.make_event(10, 10);
    auto clash = patch(w, w.alice, other, {{"slug", w.event(id).spec.slug}});
    BOOST_TEST_REQUIRE(!clash.has_value());
    BOOST_TEST(clash.error().fields.contains("slug"));
    BOOST_TEST(patch(w, w.alice, other, {{"slug", "renamed-seminar"}})->event.spec.slug == "renamed-seminar");
    BOOST_TEST(get(w, "renamed-seminar", nullptr).has_value());
    BOOST_TEST(patch(w, w.alice, other, {{"slug", nullptr}})->event.spec.slug == "renamed-seminar");  // removing it keeps it
}

BOOST_DATA_TEST_CASE(capacity_cannot_go_below_seats_taken, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(3, 2);
    for (int i = 0; i < 3; ++i) w.enrol(id, "P" + std::to_string(i), "p" + std::to_string(i) + "@example.org", "in_person");
    auto refused = patch(w, w.alice, id, {{"capacity", {{"in_person", 2}}}, {"summary", "also changed"}});
    BOOST_TEST_REQUIRE(!refused.has_value());
    BOOST_TEST((refused.error().code == core::errc::conflict));
    auto e = w.event(id);
    BOOST_TEST(e.in_person.capacity == 3);
    BOOST_TEST(e.spec.capacity_in_person == 3);
    BOOST_TEST(e.spec.summary.en.empty());  // nothing of the patch was applied
    BOOST_TEST(patch(w, w.alice, id, {{"capacity", {{"in_person", 3}, {"online", 0}}}}).has_value());
    BOOST_TEST(w.event(id).online.capacity == 0);
    w.check_invariants(id);
}

BOOST_DATA_TEST_CASE(raising_capacity_promotes_the_waitlist_in_order, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(1, 1);
    auto first = w.enrol(id, "First", "first@example.org", "in_person");
    std::vector<ensemble::test::registered> waiting;
    for (int i = 0; i < 4; ++i) waiting.push_back(w.enrol(id, "W" + std::to_string(i), "w" + std::to_string(i) + "@example.org", "in_person", true));
    auto online_waiting = w.enrol(id, "Online", "o1@example.org", "online");
    auto online_w2 = w.enrol(id, "Online 2", "o2@example.org", "online", true);
    BOOST_TEST(online_w2.status == "waitlisted");
    w.check_invariants(id);

    auto changed = patch(w, w.alice, id, {{"capacity", {{"in_person", 3}}}});
    BOOST_TEST_REQUIRE(changed.has_value());
    BOOST_TEST(changed->promoted == 2);
    BOOST_TEST(w.status_of(waiting[0].id) == "confirmed");
    BOOST_TEST(w.status_of(waiting[1].id) == "confirmed");
    BOOST_TEST(w.status_of(waiting[2].id) == "waitlisted");
    BOOST_TEST(w.status_of(online_w2.id) == "waitlisted");  // the other mode's waitlist is untouched
    BOOST_TEST(w.outbox_kinds(waiting[0].id).back() == core::message_kind::promoted);
    BOOST_TEST(w.outbox_kinds(waiting[2].id).back() == core::message_kind::waitlisted);
    BOOST_TEST((*w.view(waiting[2].manage_token))["waitlist_position"] == 1);
    auto e = w.event(id);
    BOOST_TEST(e.in_person.taken == 3);
    BOOST_TEST(e.in_person.waitlisted == 2);
    w.check_invariants(id);
    (void)first;
    (void)online_waiting;
}

BOOST_DATA_TEST_CASE(publish_rules_and_the_zoom_meeting_it_owes, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    auto zoom_body = world::event_body(10, 10);
    zoom_body["online"] = {{"provider", "zoom"}};
    long long zoom_event = w.make_event(zoom_body, false);
    BOOST_TEST(outbox_count(w, zoom_event, core::message_kind::zoom_create) == 0);
    auto published = publish(w, w.alice, zoom_event);
    BOOST_TEST_REQUIRE(published.has_value());
    BOOST_TEST(published->status == "published");
    BOOST_TEST(outbox_count(w, zoom_event, core::message_kind::zoom_create) == 1);
    BOOST_TEST(publish(w, w.alice, zoom_event).has_value());  // publishing again changes nothing
    BOOST_TEST(outbox_count(w, zoom_event, core::message_kind::zoom_create) == 1);

    long long manual = w.make_event(10, 10, true, false);
    BOOST_TEST(publish(w, w.alice, manual).has_value());
    BOOST_TEST(w.count("SELECT COUNT(*) FROM outbox WHERE event_id = " + std::to_string(manual)) == 0);

    BOOST_TEST(cancel_event(w, w.alice, manual).has_value());
    BOOST_TEST((publish(w, w.alice, manual).error().code == core::errc::conflict));
    BOOST_TEST((patch(w, w.alice, manual, {{"summary", "x"}}).error().code == core::errc::conflict));
    BOOST_TEST(w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'event.publish'") == 2);
}

BOOST_DATA_TEST_CASE(cancel_tells_every_active_registrant_once, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    auto body = world::event_body(1, 1);
    body["online"] = {{"provider", "zoom"}};
    long long id = w.make_event(body);
    auto a = w.enrol(id, "A", "a@example.org", "in_person");
    auto b = w.enrol(id, "B", "b@example.org", "in_person", true);
    auto gone = w.enrol(id, "C", "c@example.org", "online");
    BOOST_TEST(w.cancel(gone.manage_token).has_value());
    w.exec->write_now([&](store::connection& c) -> core::result<int> {
        store::set_event_zoom_id(c, id, "85012345678");
        core::outbox_message reminder;
        reminder.kind = core::message_kind::reminder;
        reminder.event_id = id;
        reminder.registration_id = a.id;
        reminder.recipient = "a@example.org";
        reminder.next_attempt_at = core::now() + std::chrono::hours(24);
        reminder.created_at = core::now();
        store::enqueue(c, reminder);
        return 0;
    });
    auto cancelled = cancel_event(w, w.alice, id);
    BOOST_TEST_REQUIRE(cancelled.has_value());
    BOOST_TEST(cancelled->event.status == "cancelled");
    BOOST_TEST(outbox_count(w, id, core::message_kind::event_cancelled) == 2);
    BOOST_TEST(w.count("SELECT COUNT(*) FROM outbox WHERE kind = 'email.event_cancelled' AND registration_id = " + std::to_string(gone.id)) == 0);
    BOOST_TEST(outbox_count(w, id, core::message_kind::reminder, "pending") == 0);
    BOOST_TEST(outbox_count(w, id, core::message_kind::reminder, "cancelled") == 1);
    BOOST_TEST(outbox_count(w, id, core::message_kind::zoom_delete) == 1);
    BOOST_TEST(cancel_event(w, w.alice, id).has_value());  // again: nothing more is sent
    BOOST_TEST(outbox_count(w, id, core::message_kind::event_cancelled) == 2);
    BOOST_TEST(outbox_count(w, id, core::message_kind::zoom_delete) == 1);
    auto late = w.try_register(id, "Late", "late@example.org", "in_person", true);
    BOOST_TEST_REQUIRE(!late.has_value());
    BOOST_TEST(late.error().fields.contains("event"));
    (void)b;

    long long draft = w.make_event(5, 5, true, false);
    BOOST_TEST(cancel_event(w, w.alice, draft).has_value());
    BOOST_TEST(w.count("SELECT COUNT(*) FROM outbox WHERE event_id = " + std::to_string(draft)) == 0);
}

BOOST_DATA_TEST_CASE(duplicate_makes_a_shifted_draft, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    auto body = world::event_body(5, 5);
    body["sessions"] = {{{"title", "Opening"}, {"starts_at", body["starts_at"]}, {"ends_at", body["ends_at"]}}};
    long long id = w.make_event(body);
    w.enrol(id, "A", "a@example.org", "in_person");
    auto original = w.event(id);
    auto copy = w.exec->write_now([&](store::connection& c) { return services::duplicate_event(c, w.alice, std::to_string(id), 364, ""); });
    BOOST_TEST_REQUIRE(copy.has_value());
    BOOST_TEST(copy->status == "draft");
    BOOST_TEST(copy->spec.slug == original.spec.slug + "-2");
    BOOST_TEST(core::to_ms(copy->spec.starts_at) - core::to_ms(original.spec.starts_at) == 364LL * 24 * 3600 * 1000);
    BOOST_TEST(core::to_ms(copy->spec.sessions[0].ends_at) - core::to_ms(original.spec.sessions[0].ends_at) == 364LL * 24 * 3600 * 1000);
    BOOST_TEST(copy->in_person.taken == 0);
    BOOST_TEST(copy->spec.title.fr == original.spec.title.fr);
    auto named = w.exec->write_now([&](store::connection& c) { return services::duplicate_event(c, w.alice, std::to_string(id), 7, "next-week"); });
    BOOST_TEST(named->spec.slug == "next-week");
    auto bad = w.exec->write_now([&](store::connection& c) { return services::duplicate_event(c, w.alice, std::to_string(id), 7, "Bad Slug"); });
    BOOST_TEST(bad.error().fields.contains("slug"));
    auto bobs = w.exec->write_now([&](store::connection& c) { return services::duplicate_event(c, w.bob, std::to_string(id), 7, ""); });
    BOOST_TEST((bobs.error().code == core::errc::not_found));
}

BOOST_DATA_TEST_CASE(settings_show_the_link_to_organizers_only, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    long long id = w.make_event(5, 5);
    auto mine = w.exec->read_now([&](store::connection& c) { return services::event_settings(c, w.alice, std::to_string(id)); });
    BOOST_TEST_REQUIRE(mine.has_value());
    BOOST_TEST((*mine)["online"]["join_url"] == "https://zoom.us/j/5551234567");
    BOOST_TEST((*mine)["online"]["passcode"] == "licence");
    auto theirs = w.exec->read_now([&](store::connection& c) { return services::event_settings(c, w.bob, std::to_string(id)); });
    BOOST_TEST((theirs.error().code == core::errc::not_found));
}

BOOST_DATA_TEST_CASE(a_recording_link_after_the_event_is_sent_once_to_confirmed_people, bdata::make(ensemble::test::backends()), backend) {
    world w(backend);
    auto body = world::event_body(2, 2);
    long long id = w.make_event(body);
    auto a = w.enrol(id, "A", "a@example.org", "in_person");
    auto b = w.enrol(id, "B", "b@example.org", "online");
    auto c = w.enrol(id, "C", "c@example.org", "online");
    auto waiting = w.enrol(id, "W", "w@example.org", "online", true);
    BOOST_TEST(w.cancel(c.manage_token).has_value());  // W is promoted
    // Before the event starts, a recording link is only stored.
    auto early = patch(w, w.alice, id, {{"recording_url", "https://youtu.be/early"}});
    BOOST_TEST(early->recording_notices == 0);
    // Move the event into the past, then set the link.
    auto past_start = core::now() - std::chrono::hours(5);
    auto moved = patch(w, w.alice, id, {{"starts_at", core::format_utc(past_start)}, {"ends_at", core::format_utc(past_start + std::chrono::hours(2))},
                                        {"recording_url", "https://youtu.be/final"}});
    BOOST_TEST_REQUIRE(moved.has_value());
    BOOST_TEST(moved->recording_notices == 3);
    BOOST_TEST(outbox_count(w, id, core::message_kind::recording) == 3);
    BOOST_TEST(w.outbox_kinds(waiting.id).back() == core::message_kind::recording);
    auto again = patch(w, w.alice, id, {{"recording_url", "https://youtu.be/fixed-link"}});
    BOOST_TEST(again->recording_notices == 0);
    BOOST_TEST(outbox_count(w, id, core::message_kind::recording) == 3);
    (void)a;
    (void)b;
}

BOOST_AUTO_TEST_SUITE_END()
