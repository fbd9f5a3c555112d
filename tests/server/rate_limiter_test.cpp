// Token buckets per key: bursts, refill, Retry-After, independent keys, reset and the off switch.
#include "server/rate_limiter.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>
#include <vector>

using limiter = ensemble::server::rate_limiter;

BOOST_AUTO_TEST_SUITE(rate_limiter)

BOOST_AUTO_TEST_CASE(a_burst_is_allowed_then_refused_with_a_retry_time) {
    limiter l(3, std::chrono::seconds(60), 3);
    int retry = -1;
    for (int i = 0; i < 3; ++i) BOOST_TEST(l.take("203.0.113.7", retry));
    BOOST_TEST(retry == -1);
    BOOST_TEST(!l.take("203.0.113.7", retry));
    // One token every 20 seconds.
    BOOST_TEST(retry >= 19);
    BOOST_TEST(retry <= 20);
    BOOST_TEST(!l.take("203.0.113.7", retry));
}

BOOST_AUTO_TEST_CASE(keys_are_independent) {
    limiter l(1, std::chrono::seconds(60), 1);
    int retry = 0;
    BOOST_TEST(l.take("a", retry));
    BOOST_TEST(!l.take("a", retry));
    BOOST_TEST(l.take("b", retry));
    for (int i = 0; i < 100; ++i) BOOST_TEST_REQUIRE(l.take("key-" + std::to_string(i), retry));
}

BOOST_AUTO_TEST_CASE(tokens_refill_over_time) {
    limiter l(600, std::chrono::seconds(60), 1);  // ten a second
    int retry = 0;
    BOOST_TEST(l.take("x", retry));
    BOOST_TEST(!l.take("x", retry));
    BOOST_TEST(retry == 1);  // never less than a second
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    BOOST_TEST(l.take("x", retry));
}

BOOST_AUTO_TEST_CASE(reset_gives_the_bucket_back) {
    limiter l(2, std::chrono::seconds(3600), 2);
    int retry = 0;
    BOOST_TEST(l.take("user@example.org", retry));
    BOOST_TEST(l.take("user@example.org", retry));
    BOOST_TEST(!l.take("user@example.org", retry));
    l.reset("user@example.org");
    BOOST_TEST(l.take("user@example.org", retry));
}

BOOST_AUTO_TEST_CASE(zero_turns_a_limit_off_and_a_burst_is_at_least_one) {
    limiter off(0, std::chrono::seconds(60), 0);
    int retry = 0;
    BOOST_TEST(!off.enabled());
    for (int i = 0; i < 1000; ++i) BOOST_TEST_REQUIRE(off.take("x", retry));
    limiter tiny(5, std::chrono::seconds(60), 0);
    BOOST_TEST(tiny.enabled());
    BOOST_TEST(tiny.take("x", retry));
    BOOST_TEST(!tiny.take("x", retry));
}

BOOST_AUTO_TEST_CASE(concurrent_takers_never_get_more_than_the_burst) {
    limiter l(50, std::chrono::seconds(3600), 50);
    std::atomic<int> granted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            int retry = 0;
            for (int i = 0; i < 100; ++i)
                if (l.take("shared", retry)) granted++;
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(granted.load() >= 50);
    BOOST_TEST(granted.load() <= 51);  // at most a token refilled during the run
}

BOOST_AUTO_TEST_SUITE_END()
