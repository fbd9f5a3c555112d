// Awaiting work that runs off the I/O threads: storage jobs and CPU-heavy work (password hashing).
#pragma once

#include "core/store/storage.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace ensemble::server {

namespace detail {

// Starts work through `submit(done)` and resumes the awaiting coroutine on its own executor with the
// value handed to `done`.
template <class R, class Submit>
auto await_completion(Submit submit) {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(R)>(
        [submit = std::move(submit)](auto handler) mutable {
            auto ex = boost::asio::get_associated_executor(handler);
            auto guard = boost::asio::make_work_guard(ex);
            submit([handler = std::move(handler), guard = std::move(guard)](R r) mutable {
                auto ex2 = guard.get_executor();
                boost::asio::post(ex2, [handler = std::move(handler), r = std::move(r)]() mutable {
                    std::move(handler)(std::move(r));
                });
                guard.reset();
            });
        },
        boost::asio::use_awaitable);
}

}  // namespace detail

// Runs `f(connection&)` on the storage writer, in a group-committed transaction; resumes after commit.
template <class F>
auto db_write(core::store::storage& s, F f) {
    using R = std::invoke_result_t<F&, core::store::connection&>;
    return detail::await_completion<R>([&s, f = std::move(f)](auto done) mutable {
        s.post_write(core::store::make_job(std::move(f), std::move(done)));
    });
}

// As db_write, on the writer that takes every write with this key (see storage::post_write).
template <class F>
auto db_write_keyed(core::store::storage& s, std::size_t key, F f) {
    using R = std::invoke_result_t<F&, core::store::connection&>;
    return detail::await_completion<R>([&s, key, f = std::move(f)](auto done) mutable {
        s.post_write(core::store::make_job(std::move(f), std::move(done)), key);
    });
}

// Runs `f(connection&)` on the read pool.
template <class F>
auto db_read(core::store::storage& s, F f) {
    using R = std::invoke_result_t<F&, core::store::connection&>;
    return detail::await_completion<R>([&s, f = std::move(f)](auto done) mutable {
        s.post_read(core::store::make_job(std::move(f), std::move(done)));
    });
}

// Runs `f()` on a worker pool (for CPU-bound work such as Argon2id).
template <class F>
auto on_pool(boost::asio::thread_pool& pool, F f) {
    using R = std::invoke_result_t<F&>;
    return detail::await_completion<R>([&pool, f = std::move(f)](auto done) mutable {
        boost::asio::post(pool, [f = std::move(f), done = std::move(done)]() mutable { done(f()); });
    });
}

}  // namespace ensemble::server
