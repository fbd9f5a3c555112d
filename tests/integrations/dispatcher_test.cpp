// The dispatcher over a real SQLite file: lanes per channel, sent, retried with backoff, failed after
// the last attempt, deferred without counting, cancelled, exceptions as failed attempts, claims
// released after a crash.
#include "integrations/delivery/dispatcher.hpp"

#include "core/security/crypto.hpp"
#include "core/store/outbox_repo.hpp"
#include "tests/integrations/temp_database.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <thread>

namespace in = ensemble::integrations;
namespace core = ensemble::core;
namespace store = ensemble::core::store;
using namespace std::chrono_literals;

namespace ensemble::test {

// A handler that answers as its script says and counts calls per row (named namespace: lambdas capture it).
class scripted final : public in::message_handler {
public:
    std::function<in::delivery_outcome(const core::outbox_message&)> script;
    std::mutex mutex;
    std::map<long long, int> calls;
    in::delivery_outcome handle(const core::outbox_message& m) override {
        {
            std::lock_guard lock(mutex);
            ++calls[m.id];
        }
        return script(m);
    }
    int calls_of(long long id) {
        std::lock_guard lock(mutex);
        return calls[id];
    }
};

}  // namespace ensemble::test

using ensemble::test::scripted;

namespace {

long long add(store::storage& s, const char* kind) {
    return *s.write_now([kind](store::connection& c) -> core::result<long long> {
        core::outbox_message m;
        m.kind = kind;
        m.recipient = "a@example.org";
        m.next_attempt_at = core::now();
        m.created_at = core::now();
        store::enqueue(c, m);
        long long id = 0;
        c.sql << "SELECT MAX(id) FROM outbox", soci::into(id);
        return id;
    });
}

core::outbox_message row(store::storage& s, long long id) {
    return *s.read_now([id](store::connection& c) -> core::result<core::outbox_message> { return *store::find_message(c, id); });
}

template <class P>
void wait_until(P p) {
    for (int i = 0; i < 400 && !p(); ++i) std::this_thread::sleep_for(10ms);
    BOOST_REQUIRE(p());
}

in::dispatcher_settings fast(int max_attempts) {
    in::dispatcher_settings d;
    d.max_attempts = max_attempts;
    d.backoff = {20ms, 40ms};
    d.poll_interval = 20ms;
    d.lease = 10s;
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dispatcher)

BOOST_DATA_TEST_CASE(rows_are_sent_retried_failed_deferred_and_cancelled, boost::unit_test::data::make(ensemble::test::delivery_backends()), backend) {
    ensemble::test::temp_database db(backend);
    auto s = db.open();
    long long ok = add(*s, core::message_kind::confirmation);
    long long flaky = add(*s, core::message_kind::waitlisted);
    long long hopeless = add(*s, core::message_kind::promoted);
    long long waiting = add(*s, core::message_kind::zoom_add_registrant);
    long long stale = add(*s, core::message_kind::reminder);
    long long broken = add(*s, core::message_kind::recording);
    auto email = std::make_unique<scripted>();
    auto zoom = std::make_unique<scripted>();
    scripted* e = email.get();
    scripted* z = zoom.get();
    e->script = [&, e](const core::outbox_message& m) {
        if (m.id == flaky && e->calls_of(m.id) < 3) return in::delivery_outcome::retry("try later");
        if (m.id == hopeless) return in::delivery_outcome::retry("always down");
        if (m.id == stale) return in::delivery_outcome::skip("no longer needed");
        if (m.id == broken) throw std::runtime_error("template exploded");
        return in::delivery_outcome::done();
    };
    z->script = [&, z](const core::outbox_message& m) {
        if (z->calls_of(m.id) < 2) return in::delivery_outcome::defer("meeting not there yet", core::now() + 30ms);
        return in::delivery_outcome::done();
    };
    in::outbox_dispatcher d(*s, fast(3));
    d.add_channel("email", 2, std::move(email));
    d.add_channel("zoom", 1, std::move(zoom));
    d.start();
    wait_until([&] { return row(*s, ok).status == "sent" && row(*s, flaky).status == "sent" && row(*s, hopeless).status == "failed" &&
                            row(*s, waiting).status == "sent" && row(*s, stale).status == "cancelled" && row(*s, broken).status == "failed"; });
    d.stop();
    BOOST_TEST(row(*s, ok).attempts == 1);
    BOOST_TEST(row(*s, flaky).attempts == 3);
    BOOST_TEST(e->calls_of(flaky) == 3);
    BOOST_TEST(row(*s, hopeless).attempts == 3);
    BOOST_TEST(row(*s, hopeless).last_error == "always down");
    BOOST_TEST(row(*s, waiting).attempts == 1);  // the deferral did not count
    BOOST_TEST(z->calls_of(waiting) == 2);
    BOOST_TEST(e->calls_of(waiting) == 0);       // each channel's rows go to its own lane
    BOOST_TEST(row(*s, stale).last_error == "no longer needed");
    BOOST_TEST(row(*s, broken).last_error.find("template exploded") != std::string::npos);
    auto stats = d.stats();
    BOOST_TEST(stats.sent == 3u);
    BOOST_TEST(stats.failed == 2u);
    s->stop();
}

BOOST_AUTO_TEST_CASE(claims_left_by_a_dead_process_are_sent_at_start) {
    ensemble::test::temp_database db("sqlite");  // on PostgreSQL leases expire instead: instances share the rows
    auto s = db.open();
    long long id = add(*s, core::message_kind::confirmation);
    auto claimed = s->write_now([](store::connection& c) -> core::result<std::vector<core::outbox_message>> {
        return store::claim_due(c, core::now(), core::now() + std::chrono::hours(1), 10);
    });
    BOOST_TEST_REQUIRE(claimed->size() == 1u);  // leased for an hour by a process that then died
    auto email = std::make_unique<scripted>();
    email->script = [](const core::outbox_message&) { return in::delivery_outcome::done(); };
    in::outbox_dispatcher d(*s, fast(3));
    d.add_channel("email", 1, std::move(email));
    d.start();
    wait_until([&] { return row(*s, id).status == "sent"; });
    d.stop();
    s->stop();
}

BOOST_AUTO_TEST_CASE(a_wake_up_sends_without_waiting_for_the_poll) {
    ensemble::test::temp_database db("sqlite");
    auto s = db.open();
    auto email = std::make_unique<scripted>();
    email->script = [](const core::outbox_message&) { return in::delivery_outcome::done(); };
    auto settings = fast(3);
    settings.poll_interval = 10s;
    in::outbox_dispatcher d(*s, settings);
    d.add_channel("email", 1, std::move(email));
    d.start();
    std::this_thread::sleep_for(50ms);
    long long id = add(*s, core::message_kind::confirmation);
    auto started = std::chrono::steady_clock::now();
    d.wake();
    wait_until([&] { return row(*s, id).status == "sent"; });
    BOOST_TEST((std::chrono::steady_clock::now() - started < 5s));
    d.stop();
    s->stop();
}

BOOST_AUTO_TEST_CASE(claims_wait_while_requests_queue_for_the_writer_and_messages_still_leave) {
    ensemble::test::temp_database db("sqlite");
    auto s = db.open();
    std::vector<long long> ids;
    for (int i = 0; i < 40; ++i) ids.push_back(add(*s, core::message_kind::confirmation));
    auto email = std::make_unique<scripted>();
    email->script = [](const core::outbox_message&) { return in::delivery_outcome::done(); };
    auto settings = fast(3);
    settings.busy_writes = 4;
    settings.busy_pause = 400ms;  // then up to 4 rows (one worker) per claim
    in::outbox_dispatcher d(*s, settings);
    d.add_channel("email", 1, std::move(email));

    // A rush: requests keep at least a few writes waiting for the writer, each taking a moment.
    std::atomic<bool> rush{true};
    std::thread feeder([&] {
        while (rush) {
            if (s->stats().queued_writes < 12)
                s->post_write(store::make_job([](store::connection&) -> core::result<int> {
                    std::this_thread::sleep_for(2ms);
                    return 0;
                }, [](core::result<int>) {}));
            else std::this_thread::sleep_for(1ms);
        }
    });
    wait_until([&] { return s->stats().queued_writes >= 4; });
    d.start();
    auto sent = [&] {
        int n = 0;
        for (long long id : ids) n += row(*s, id).status == "sent";
        return n;
    };
    std::this_thread::sleep_for(1500ms);
    int during = sent();
    BOOST_TEST(d.stats().busy_waits > 0u);
    BOOST_TEST(during >= 1);                                 // a claim at least every busy_pause: nothing waits for the rush to end
    BOOST_TEST(during < static_cast<int>(ids.size()));       // but not all at once, as when the writer is idle
    rush = false;
    feeder.join();
    wait_until([&] { return sent() == static_cast<int>(ids.size()); });  // and the rest once it ends
    d.stop();
    s->stop();
}

BOOST_AUTO_TEST_SUITE_END()
