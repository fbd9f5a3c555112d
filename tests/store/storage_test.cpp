// The storage executor: group commit, each job's failure undone alone, results only after commit.
#include "core/store/storage.hpp"

#include "tests/store/test_database.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace bdata = boost::unit_test::data;
namespace core = ensemble::core;
namespace store = ensemble::core::store;
using ensemble::test::scalar;
using ensemble::test::test_database;

// Named, not anonymous: lambdas in the data-driven test templates capture these types.
namespace storage_testing {

// Holds the writer inside a job until released, so that the jobs posted meanwhile queue up.
class gate {
public:
    void enter_and_wait() {
        std::unique_lock lock(m_);
        entered_ = true;
        cv_.notify_all();
        cv_.wait(lock, [&] { return open_; });
    }
    void wait_entered() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return entered_; });
    }
    void open() {
        std::lock_guard lock(m_);
        open_ = true;
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool entered_ = false, open_ = false;
};

// Counts completions and lets the test wait for all of them.
class latch {
public:
    explicit latch(int n) : left_(n) {}
    void count_down() {
        std::lock_guard lock(m_);
        if (--left_ == 0) cv_.notify_all();
    }
    bool wait(std::chrono::seconds timeout = std::chrono::seconds(60)) {
        std::unique_lock lock(m_);
        return cv_.wait_for(lock, timeout, [&] { return left_ <= 0; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int left_;
};

// The counters once the writer is idle (a batch is counted just after its completions are delivered).
store::storage_stats settled_stats(store::storage& s) {
    auto last = s.stats();
    for (int i = 0; i < 100; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        auto now = s.stats();
        if (now.batches == last.batches && now.write_jobs == last.write_jobs && now.queued_writes == 0) return now;
        last = now;
    }
    return last;
}

void create_probe(store::storage& s) {
    auto r = s.write_now([](store::connection& c) -> core::result<core::unit> {
        c.sql << "CREATE TABLE probe (id BIGINT PRIMARY KEY, label TEXT NOT NULL UNIQUE)";
        c.sql << "CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)";
        c.sql << "INSERT INTO counter (id, n) VALUES (1, 0)";
        return core::unit{};
    });
    BOOST_REQUIRE(r.has_value());
}

void insert_probe(store::connection& c, long long id, const std::string& label) {
    c.sql << "INSERT INTO probe (id, label) VALUES (:i, :l)", soci::use(id), soci::use(label);
}

std::set<long long> probe_ids(store::connection& c) {
    std::set<long long> out;
    long long id = 0;
    soci::statement st = (c.sql.prepare << "SELECT id FROM probe", soci::into(id));
    st.execute();
    while (st.fetch()) out.insert(id);
    return out;
}

// Blocks the writer with a first job, runs `post_rest` to queue more, then lets everything run.
template <class PostRest>
void with_writer_held(store::storage& s, PostRest post_rest) {
    gate g;
    latch blocker_done(1);
    s.post_write(store::make_job([&g](store::connection&) -> core::result<core::unit> {
        g.enter_and_wait();
        return core::unit{};
    }, [&blocker_done](core::result<core::unit>) { blocker_done.count_down(); }));
    g.wait_entered();
    post_rest();
    g.open();
    BOOST_REQUIRE(blocker_done.wait());
}

// Queues `n` jobs `job(c, i)` behind a held writer, so they run as one batch; each one's result.
template <class Job>
std::map<int, core::result<int>> run_as_one_batch(store::storage& s, int n, Job job) {
    latch done(n);
    std::mutex m;
    std::map<int, core::result<int>> results;
    with_writer_held(s, [&] {
        for (int i = 0; i < n; ++i)
            s.post_write(store::make_job([i, job](store::connection& c) -> core::result<int> { return job(c, i); },
                                         [&, i](core::result<int> r) {
                                             std::lock_guard lock(m);
                                             results.emplace(i, std::move(r));
                                             done.count_down();
                                         }));
    });
    BOOST_REQUIRE(done.wait());
    return results;
}

}  // namespace storage_testing

using namespace storage_testing;

BOOST_AUTO_TEST_SUITE(storage)

BOOST_DATA_TEST_CASE(reads_see_committed_writes, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto s = db.open_storage();
    create_probe(*s);
    auto w = s->write_now([](store::connection& c) -> core::result<int> {
        insert_probe(c, 1, "one");
        return 1;
    });
    BOOST_TEST_REQUIRE(w.has_value());
    auto r = s->read_now([](store::connection& c) -> core::result<std::set<long long>> { return probe_ids(c); });
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(*r == std::set<long long>{1});
    auto failed = s->write_now([](store::connection& c) -> core::result<int> {
        insert_probe(c, 2, "two");
        return core::make_failure(core::errc::conflict, "changed my mind");
    });
    BOOST_TEST_REQUIRE(!failed.has_value());
    BOOST_TEST((failed.error().code == core::errc::conflict));
    r = s->read_now([](store::connection& c) -> core::result<std::set<long long>> { return probe_ids(c); });
    BOOST_TEST(*r == std::set<long long>{1});
}

BOOST_DATA_TEST_CASE(queued_writes_commit_together, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto s = db.open_storage(1);
    create_probe(*s);
    auto before = settled_stats(*s);
    constexpr int n = 50;
    latch done(n);
    std::atomic<int> ok{0};
    with_writer_held(*s, [&] {
        for (int i = 0; i < n; ++i)
            s->post_write(store::make_job([i](store::connection& c) -> core::result<int> {
                insert_probe(c, i, "label-" + std::to_string(i));
                return i;
            }, [&](core::result<int> r) {
                if (r) ok++;
                done.count_down();
            }));
    });
    BOOST_TEST_REQUIRE(done.wait());
    auto after = settled_stats(*s);
    BOOST_TEST(ok.load() == n);
    BOOST_TEST(after.write_jobs - before.write_jobs == static_cast<std::uint64_t>(n + 1));
    BOOST_TEST(after.batches - before.batches == 2u);  // the held job, then all fifty in one transaction
    BOOST_TEST(after.failed_batches == before.failed_batches);
    auto c = db.connect();
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM probe") == n);
}

BOOST_DATA_TEST_CASE(each_failing_job_is_rolled_back_alone, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto s = db.open_storage(1);
    create_probe(*s);
    auto before = settled_stats(*s);
    constexpr int n = 30;
    auto results = run_as_one_batch(*s, n, [](store::connection& c, int i) -> core::result<int> {
        if (i == 13) {
            insert_probe(c, 1000 + i, "label-12");  // the label of job 12: a unique violation
            return i;
        }
        insert_probe(c, i, "label-" + std::to_string(i));
        if (i % 5 == 0) return core::make_failure(core::errc::conflict, "expected failure");
        if (i == 7) throw std::runtime_error("a bug in a command");
        if (i == 11) c.sql << "SELECT no_such_column FROM probe";
        return i;
    });
    std::set<long long> expected;
    for (int i = 0; i < n; ++i) {
        BOOST_TEST_CONTEXT("job " << i) {
            const auto& r = results.at(i);
            if (i % 5 == 0) {
                BOOST_TEST_REQUIRE(!r.has_value());
                BOOST_TEST((r.error().code == core::errc::conflict));
            } else if (i == 7 || i == 11 || i == 13) {
                BOOST_TEST_REQUIRE(!r.has_value());
                BOOST_TEST((r.error().code == core::errc::internal));
                BOOST_TEST(r.error().message.find("no_such_column") == std::string::npos);  // no internals leak
            } else {
                BOOST_TEST_REQUIRE(r.has_value());
                BOOST_TEST(*r == i);
                expected.insert(i);
            }
        }
    }
    auto c = db.connect();
    BOOST_TEST(probe_ids(*c) == expected);
    auto after = settled_stats(*s);
    BOOST_TEST(after.batches - before.batches == 2u);
    BOOST_TEST(after.failed_batches == before.failed_batches);  // no need to rerun the others one by one
    // SQLite first ran the batch without savepoints; job 5 failed after writing, so it ran again with them.
    BOOST_TEST(after.careful_reruns - before.careful_reruns == (backend == "sqlite" ? 1u : 0u));
}

BOOST_DATA_TEST_CASE(jobs_that_fail_before_writing_leave_the_batch_as_it_is, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto s = db.open_storage(1);
    create_probe(*s);
    s->write_now([](store::connection& c) -> core::result<int> {
        insert_probe(c, 500, "taken");
        return 0;
    });
    auto before = settled_stats(*s);
    constexpr int n = 24;
    auto results = run_as_one_batch(*s, n, [](store::connection& c, int i) -> core::result<int> {
        // The failures a rush sees: refused before writing (an event full, an unknown ticket), a
        // statement the database refuses (its own changes undone), a bug before any write.
        if (i % 4 == 1) return core::make_failure(core::errc::full, "no seat left");
        if (i % 4 == 2) insert_probe(c, 2000 + i, "taken");
        if (i % 4 == 3) throw std::runtime_error("a bug before writing");
        insert_probe(c, i, "label-" + std::to_string(i));
        return i;
    });
    std::set<long long> expected{500};
    for (int i = 0; i < n; ++i) {
        BOOST_TEST_CONTEXT("job " << i) {
            const auto& r = results.at(i);
            if (i % 4 == 0) {
                BOOST_TEST_REQUIRE(r.has_value());
                expected.insert(i);
            } else {
                BOOST_TEST_REQUIRE(!r.has_value());
                BOOST_TEST((r.error().code == (i % 4 == 1 ? core::errc::full : core::errc::internal)));
            }
        }
    }
    auto c = db.connect();
    BOOST_TEST(probe_ids(*c) == expected);
    auto after = settled_stats(*s);
    BOOST_TEST(after.batches - before.batches == 2u);
    BOOST_TEST(after.failed_batches == before.failed_batches);
    BOOST_TEST(after.careful_reruns == before.careful_reruns);
}

BOOST_DATA_TEST_CASE(results_are_delivered_only_after_the_commit, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto s = db.open_storage(1);
    create_probe(*s);
    auto observer = db.connect();  // another connection sees only committed rows
    constexpr int n = 20;
    latch done(n + 1);
    std::atomic<int> visible{0}, completions{0};
    auto post = [&](int i) {
        s->post_write(store::make_job([i](store::connection& c) -> core::result<int> {
            insert_probe(c, i, "label-" + std::to_string(i));
            return i;
        }, [&, i](core::result<int> r) {
            completions++;
            long long id = i, found = 0;
            observer->sql << "SELECT COUNT(*) FROM probe WHERE id = :i", soci::use(id), soci::into(found);
            if (r && found == 1) visible++;
            done.count_down();
        }));
    };
    post(100);  // alone
    with_writer_held(*s, [&] {
        for (int i = 0; i < n; ++i) post(i);  // in one group
    });
    BOOST_TEST_REQUIRE(done.wait());
    BOOST_TEST(completions.load() == n + 1);
    BOOST_TEST(visible.load() == n + 1);
}

BOOST_DATA_TEST_CASE(concurrent_increments_lose_nothing, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto s = db.open_storage(4);
    create_probe(*s);
    constexpr int n = 300;
    latch done(n);
    std::atomic<int> ok{0};
    std::vector<std::thread> posters;
    for (int t = 0; t < 6; ++t)
        posters.emplace_back([&] {
            for (int i = 0; i < n / 6; ++i)
                s->post_write(store::make_job([](store::connection& c) -> core::result<core::unit> {
                    c.sql << "UPDATE counter SET n = n + 1 WHERE id = 1";
                    return core::unit{};
                }, [&](core::result<core::unit> r) {
                    if (r) ok++;
                    done.count_down();
                }));
        });
    for (auto& t : posters) t.join();
    BOOST_TEST_REQUIRE(done.wait());
    BOOST_TEST(ok.load() == n);
    auto c = db.connect();
    BOOST_TEST(scalar(*c, "SELECT n FROM counter WHERE id = 1") == n);
}

BOOST_DATA_TEST_CASE(writes_with_one_key_go_to_one_writer_and_all_commit, bdata::make(ensemble::test::backends()), backend) {
    // With several writers (PostgreSQL), every write keyed alike runs on the same connection, so that a
    // rush on one event batches on one writer instead of queueing on the row lock from several.
    test_database db(backend);
    auto s = db.open_storage(4);
    create_probe(*s);
    constexpr int n = 200;
    latch done(n);
    std::mutex m;
    std::map<std::size_t, std::set<const store::connection*>> writers_of_key;
    std::atomic<int> ok{0};
    std::vector<std::thread> posters;
    for (int t = 0; t < 4; ++t)
        posters.emplace_back([&, t] {
            for (int i = 0; i < n / 4; ++i) {
                std::size_t key = (i % 3 == 0) ? store::storage::any_writer : static_cast<std::size_t>((t + i) % 2);
                s->post_write(store::make_job([&, key](store::connection& c) -> core::result<core::unit> {
                    c.sql << "UPDATE counter SET n = n + 1 WHERE id = 1";
                    std::lock_guard lock(m);
                    writers_of_key[key].insert(&c);
                    return core::unit{};
                }, [&](core::result<core::unit> r) {
                    if (r) ok++;
                    done.count_down();
                }), key);
            }
        });
    for (auto& t : posters) t.join();
    BOOST_TEST_REQUIRE(done.wait());
    BOOST_TEST(ok.load() == n);
    BOOST_TEST(writers_of_key[0].size() == 1u);
    BOOST_TEST(writers_of_key[1].size() == 1u);
    auto c = db.connect();
    BOOST_TEST(scalar(*c, "SELECT n FROM counter WHERE id = 1") == n);
    // Stopping drains keyed work too: what was accepted commits, what comes after fails cleanly.
    latch last(1);
    s->post_write(store::make_job([](store::connection& c) -> core::result<core::unit> {
        c.sql << "UPDATE counter SET n = n + 1 WHERE id = 1";
        return core::unit{};
    }, [&](core::result<core::unit>) { last.count_down(); }), 7);
    s->stop();
    BOOST_TEST_REQUIRE(last.wait());
    BOOST_TEST(scalar(*c, "SELECT n FROM counter WHERE id = 1") == n + 1);
}

BOOST_DATA_TEST_CASE(two_instances_run_their_batches_for_one_key_one_after_the_other, bdata::make(ensemble::test::backends()), backend) {
    // PostgreSQL with several instances: a batch takes an advisory lock per key of its jobs first, so
    // the instances' batches for one event do not interleave on its seat row. Other keys go on.
    if (backend != "postgresql") return;
    test_database db(backend);
    auto a = db.open_storage(1);
    auto b = db.open_storage(1);
    create_probe(*a);
    using clock = std::chrono::steady_clock;
    std::atomic<bool> a_running{false};
    clock::time_point a_end, other_done, same_start;
    latch a_done(1), other(1), same(1);
    a->post_write(store::make_job([&](store::connection& c) -> core::result<core::unit> {
        c.sql << "UPDATE counter SET n = n + 1 WHERE id = 1";
        a_running = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        a_end = clock::now();
        return core::unit{};
    }, [&](core::result<core::unit>) { a_done.count_down(); }), 5);
    while (!a_running) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    b->post_write(store::make_job([&](store::connection&) -> core::result<core::unit> { return core::unit{}; },
                                  [&](core::result<core::unit>) {
                                      other_done = clock::now();
                                      other.count_down();
                                  }), 6);
    BOOST_TEST_REQUIRE(other.wait());
    b->post_write(store::make_job([&](store::connection& c) -> core::result<core::unit> {
        same_start = clock::now();
        c.sql << "UPDATE counter SET n = n + 1 WHERE id = 1";
        return core::unit{};
    }, [&](core::result<core::unit>) { same.count_down(); }), 5);
    BOOST_TEST_REQUIRE(a_done.wait());
    BOOST_TEST_REQUIRE(same.wait());
    BOOST_TEST((other_done < a_end));   // another event's write did not wait
    BOOST_TEST((same_start >= a_end));  // the same event's batch began once the other instance's had run
    auto c = db.connect();
    BOOST_TEST(scalar(*c, "SELECT n FROM counter WHERE id = 1") == 2);
    a->stop();
    b->stop();
}

BOOST_AUTO_TEST_CASE(a_locked_sqlite_database_is_waited_for_and_retried) {
    test_database db("sqlite");
    store::storage_options o;
    o.url = db.url();
    o.sqlite.busy_timeout_ms = 50;
    auto s = std::make_unique<store::storage>(o);
    create_probe(*s);
    auto locker = db.connect();
    locker->sql << "BEGIN IMMEDIATE";
    constexpr int n = 10;
    latch done(n);
    std::atomic<int> ok{0};
    for (int i = 0; i < n; ++i)
        s->post_write(store::make_job([i](store::connection& c) -> core::result<int> {
            insert_probe(c, i, "label-" + std::to_string(i));
            return i;
        }, [&](core::result<int> r) {
            if (r) ok++;
            done.count_down();
        }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    locker->sql << "COMMIT";
    BOOST_TEST_REQUIRE(done.wait());
    BOOST_TEST(ok.load() == n);
    BOOST_TEST(scalar(*locker, "SELECT COUNT(*) FROM probe") == n);
}

BOOST_DATA_TEST_CASE(work_posted_after_stop_fails_cleanly, bdata::make(ensemble::test::backends()), backend) {
    test_database db(backend);
    auto s = db.open_storage();
    create_probe(*s);
    s->stop();
    auto w = s->write_now([](store::connection& c) -> core::result<int> {
        insert_probe(c, 1, "late");
        return 1;
    });
    BOOST_TEST_REQUIRE(!w.has_value());
    BOOST_TEST((w.error().code == core::errc::unavailable));
    auto r = s->read_now([](store::connection&) -> core::result<int> { return 1; });
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().code == core::errc::unavailable));
    auto c = db.connect();
    BOOST_TEST(scalar(*c, "SELECT COUNT(*) FROM probe") == 0);
}

#if defined(__linux__) && defined(SYS_ioprio_get)
// The checkpointer runs under SCHED_IDLE and in the idle I/O class, so that requests go first.
BOOST_AUTO_TEST_CASE(the_checkpointer_gives_way_to_requests) {
    constexpr int who_process = 1, class_shift = 13, idle_io = 3;
    bool io_allowed = false, idle_allowed = false;
    std::thread([&] {
        io_allowed = syscall(SYS_ioprio_set, who_process, 0, idle_io << class_shift) == 0;
        sched_param none{};
        idle_allowed = pthread_setschedparam(pthread_self(), SCHED_IDLE, &none) == 0;
    }).join();
    test_database db("sqlite");
    auto s = db.open_storage();
    struct found_thread {
        int policy;
        long io_class;
    };
    auto checkpointer = []() -> std::optional<found_thread> {
        for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
            std::ifstream comm(task.path() / "comm");
            std::string name;
            std::getline(comm, name);
            if (name != "ens-checkpoint") continue;
            int tid = std::stoi(task.path().filename().string());
            return found_thread{sched_getscheduler(tid), syscall(SYS_ioprio_get, who_process, tid) >> class_shift};
        }
        return std::nullopt;
    };
    // The thread names itself, then gives way: both happen as soon as the storage starts.
    std::optional<found_thread> found;
    for (int i = 0; i < 500; ++i) {
        found = checkpointer();
        if (found && (found->policy == SCHED_IDLE || !idle_allowed) && (found->io_class == idle_io || !io_allowed)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_TEST_REQUIRE(found.has_value());
    if (idle_allowed)
        BOOST_TEST(found->policy == SCHED_IDLE);
    else
        BOOST_TEST_MESSAGE("this system does not let a thread run under SCHED_IDLE; not checked");
    if (io_allowed)
        BOOST_TEST(found->io_class == idle_io);
    else
        BOOST_TEST_MESSAGE("this system does not let a thread take the idle I/O class; not checked");
    s->stop();
}
#endif

BOOST_AUTO_TEST_CASE(database_urls) {
    auto u = store::parse_database_url("sqlite:data/ensemble.db");
    BOOST_TEST((u.kind == store::dialect::sqlite));
    BOOST_TEST(u.sqlite_path == "data/ensemble.db");
    BOOST_TEST(store::parse_database_url("sqlite:///var/lib/ensemble.db").sqlite_path == "/var/lib/ensemble.db");
    BOOST_CHECK_THROW(store::parse_database_url("sqlite:"), std::invalid_argument);
    BOOST_CHECK_THROW(store::parse_database_url("mysql://x/y"), std::invalid_argument);
    auto pg = store::parse_database_url("postgresql://ens%40user:p%27w@db.example.org:5433/ensemble?sslmode=require&evil=1");
    BOOST_TEST((pg.kind == store::dialect::postgresql));
    BOOST_TEST(pg.connect.find("user='ens@user'") != std::string::npos, pg.connect);
    BOOST_TEST(pg.connect.find("password='p\\'w'") != std::string::npos, pg.connect);
    BOOST_TEST(pg.connect.find("host='db.example.org'") != std::string::npos, pg.connect);
    BOOST_TEST(pg.connect.find("port='5433'") != std::string::npos, pg.connect);
    BOOST_TEST(pg.connect.find("dbname='ensemble'") != std::string::npos, pg.connect);
    BOOST_TEST(pg.connect.find("sslmode='require'") != std::string::npos, pg.connect);
    BOOST_TEST(pg.connect.find("evil") == std::string::npos, pg.connect);
    BOOST_TEST(store::postgres_conninfo("postgresql://u@[::1]:5432/d").find("host='::1'") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
