// Outbox rows: dedupe keys, claiming due rows with leases, settling, retrying; shared claims on PostgreSQL.
#include "core/store/outbox_repo.hpp"

#include "tests/store/test_database.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <set>
#include <thread>

namespace bdata = boost::unit_test::data;
namespace core = ensemble::core;
namespace store = ensemble::core::store;
using ensemble::test::scalar;
using ensemble::test::test_database;

namespace {

core::outbox_message message(const char* kind, core::instant due, std::string dedupe = {}) {
    core::outbox_message m;
    m.kind = kind;
    m.recipient = "amina@example.org";
    m.payload = {{"registration_id", 1}};
    m.next_attempt_at = due;
    m.created_at = core::now();
    m.dedupe_key = std::move(dedupe);
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(outbox_repo)

BOOST_DATA_TEST_CASE(a_dedupe_key_enqueues_once, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto c = db.connect();
    auto t = core::now();
    BOOST_TEST(store::enqueue(*c, message(core::message_kind::recording, t, "recording:1")) == 1);
    BOOST_TEST(store::enqueue(*c, message(core::message_kind::recording, t, "recording:1")) == 0);
    BOOST_TEST(store::enqueue(*c, message(core::message_kind::confirmation, t)) == 1);
    BOOST_TEST(store::enqueue(*c, message(core::message_kind::confirmation, t)) == 1);  // no key, no dedupe
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM outbox") == 3);
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'pending'") == 3);
}

BOOST_DATA_TEST_CASE(due_rows_are_claimed_with_a_lease_and_settled, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto c = db.connect();
    auto t = core::now();
    store::enqueue(*c, message(core::message_kind::confirmation, t - std::chrono::seconds(1)));
    store::enqueue(*c, message(core::message_kind::zoom_add_registrant, t));
    store::enqueue(*c, message(core::message_kind::reminder, t + std::chrono::hours(1)));
    auto claimed = store::claim_due(*c, t, t + std::chrono::seconds(60), 10);
    BOOST_TEST_REQUIRE(claimed.size() == 2u);
    BOOST_TEST(claimed[0].kind == core::message_kind::confirmation);  // oldest due first
    BOOST_TEST(claimed[1].channel == "zoom");
    BOOST_TEST(claimed[0].status == "sending");
    BOOST_TEST(claimed[0].payload["registration_id"] == 1);
    BOOST_TEST(store::claim_due(*c, t, t + std::chrono::seconds(60), 10).empty());  // leased
    auto expired = store::claim_due(*c, t + std::chrono::seconds(61), t + std::chrono::seconds(120), 10);
    BOOST_TEST(expired.size() == 2u);  // a lease that ran out is claimed again

    store::mark_sent(*c, claimed[0].id, t);
    store::mark_retry(*c, claimed[1].id, "503 from Zoom", t + std::chrono::seconds(30), false);
    auto sent = store::find_message(*c, claimed[0].id);
    BOOST_TEST(sent->status == "sent");
    BOOST_TEST(sent->attempts == 1);
    BOOST_TEST(sent->sent_at.has_value());
    auto retry = store::find_message(*c, claimed[1].id);
    BOOST_TEST(retry->status == "pending");
    BOOST_TEST(retry->last_error == "503 from Zoom");
    BOOST_TEST(core::to_ms(retry->next_attempt_at) == core::to_ms(t + std::chrono::seconds(30)));
    store::mark_retry(*c, claimed[1].id, "gave up", t, true);
    BOOST_TEST(store::find_message(*c, claimed[1].id)->status == "failed");
    BOOST_TEST(store::retry_now(*c, claimed[1].id, t));
    BOOST_TEST(store::find_message(*c, claimed[1].id)->status == "pending");
    BOOST_TEST(store::find_message(*c, claimed[1].id)->attempts == 0);
    BOOST_TEST(!store::retry_now(*c, claimed[0].id, t));  // sent rows stay sent
    BOOST_TEST(ensemble::test::scalar(*c, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1);
}

BOOST_DATA_TEST_CASE(pending_rows_of_a_registration_or_event_can_be_cancelled, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto c = db.connect();
    auto t = core::now();
    auto reminder = message(core::message_kind::reminder, t + std::chrono::hours(1));
    reminder.registration_id = 5;
    reminder.event_id = 9;
    auto confirmation = message(core::message_kind::confirmation, t);
    confirmation.registration_id = 5;
    confirmation.event_id = 9;
    store::enqueue(*c, reminder);
    store::enqueue(*c, confirmation);
    BOOST_TEST(store::cancel_pending_for_registration(*c, 5, "email.reminder") == 1);
    BOOST_TEST(store::latest_status(*c, 5, core::message_kind::reminder) == "cancelled");
    BOOST_TEST(store::latest_status(*c, 5, core::message_kind::confirmation) == "pending");
    BOOST_TEST(store::latest_status(*c, 6, core::message_kind::confirmation) == "");
    BOOST_TEST(store::cancel_pending_for_event(*c, 9, "email.") == 1);
    store::outbox_filter f;
    f.event_ids = {9};
    BOOST_TEST(store::list_outbox(*c, f).size() == 2u);
    f.status = "cancelled";
    BOOST_TEST(store::list_outbox(*c, f).size() == 2u);
    f.event_ids = {};
    BOOST_TEST(store::list_outbox(*c, f).empty());  // no events, no rows
}

BOOST_AUTO_TEST_CASE(instances_claiming_at_once_on_postgresql_never_share_a_row) {
    if (ensemble::test::backends().size() < 2) {
        BOOST_TEST_MESSAGE("ENSEMBLE_TEST_PG_URL is not set; skipped");
        return;
    }
    test_database db("postgresql");
    auto setup = db.connect();
    auto t = core::now();
    for (int i = 0; i < 200; ++i) store::enqueue(*setup, message(core::message_kind::confirmation, t));
    std::mutex m;
    std::vector<long long> all;
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w)
        workers.emplace_back([&] {
            auto c = db.connect();
            for (;;) {
                c->begin_write();
                auto got = store::claim_due(*c, t, t + std::chrono::seconds(60), 7);
                c->commit();
                if (got.empty()) return;
                std::lock_guard lock(m);
                for (const auto& g : got) all.push_back(g.id);
            }
        });
    for (auto& w : workers) w.join();
    std::set<long long> unique(all.begin(), all.end());
    BOOST_TEST(all.size() == 200u);
    BOOST_TEST(unique.size() == 200u);
}

BOOST_AUTO_TEST_SUITE_END()
