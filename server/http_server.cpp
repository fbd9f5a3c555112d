// Accept loop, per-connection coroutine, request dispatch, shutdown.
#include "server/http_server.hpp"

#include "server/auth.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <thread>

namespace ensemble::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct http_server::connection_state {
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    std::atomic<bool> busy{false};
    std::atomic<bool> closed{false};
};

http_server::http_server(app& a) : a_(a), acceptor_(a.ioc) {}
http_server::~http_server() = default;

void http_server::start() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(a_.cfg.listen_host() == "localhost" ? "127.0.0.1" : a_.cfg.listen_host(), ec);
    if (ec) throw std::runtime_error("listen: '" + a_.cfg.listen_host() + "' is not an IP address");
    tcp::endpoint endpoint(address, a_.cfg.listen_port());
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint, ec);
    if (ec) throw std::runtime_error("listen: cannot bind " + a_.cfg.listen + ": " + ec.message());
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

asio::any_io_executor http_server::next_connection_executor() {
    if (a_.connection_contexts.empty()) return asio::make_strand(a_.ioc);
    return a_.connection_contexts[next_context_++ % a_.connection_contexts.size()]->get_executor();
}

asio::awaitable<void> http_server::accept_loop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(next_connection_executor(), asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
            if (ec == asio::error::no_descriptors) {
                spdlog::warn("http: out of file descriptors; pausing accept");
                asio::steady_timer t(acceptor_.get_executor(), std::chrono::milliseconds(100));
                co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            continue;
        }
        if (a_.stats->open_connections() >= a_.cfg.http.max_connections) {
            boost::system::error_code ignore;
            socket.close(ignore);
            continue;
        }
        auto ex = socket.get_executor();
        asio::co_spawn(ex, run_connection(std::move(socket)), asio::detached);
    }
}

std::size_t http_server::open_connections() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
}

void http_server::shutdown(std::chrono::milliseconds deadline) {
    a_.stopping = true;
    // Stop listening, but first take every connection the kernel already completed: closing the
    // listener would reset them, and their clients may have sent a request already. Each one
    // gets its request answered (with Connection: close).
    asio::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ec;
        acceptor_.cancel(ec);
        acceptor_.non_blocking(true, ec);
        for (;;) {
            tcp::socket socket(next_connection_executor());
            acceptor_.accept(socket, ec);
            if (ec) break;
            auto ex = socket.get_executor();
            asio::co_spawn(ex, run_connection(std::move(socket)), asio::detached);
        }
        acceptor_.close(ec);
    });
    auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            for (auto& c : connections_) {
                if (!c->busy && !c->closed) {
                    // An idle connection may hold a request already sent but not yet read: give it a
                    // moment to arrive and be answered, then the read times out and the connection closes.
                    c->closed = true;
                    asio::post(c->executor, [c] {
                        if (c->stream) c->stream->expires_after(std::chrono::milliseconds(300));
                    });
                }
            }
            if (connections_.empty()) return;
        }
        if (std::chrono::steady_clock::now() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Past the deadline: close what is left, so no connection outlives the server.
    spdlog::warn("http: closing {} connections still open at the shutdown deadline", open_connections());
    {
        std::lock_guard lock(mutex_);
        for (auto& c : connections_)
            asio::post(c->executor, [c] {
                boost::system::error_code ignore;
                if (c->stream) c->stream->socket().close(ignore);
            });
    }
    auto grace = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (open_connections() > 0 && std::chrono::steady_clock::now() < grace) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

namespace {

bool wants_continue(const request& req) {
    auto expect = req[http::field::expect];
    return expect.size() == 12 && beast::iequals(expect, "100-continue");
}

}  // namespace

asio::awaitable<void> http_server::run_connection(tcp::socket socket) {
    std::string peer;
    {
        boost::system::error_code ec;
        auto ep = socket.remote_endpoint(ec);
        if (ec) co_return;
        peer = ep.address().to_string();
        if (peer.starts_with("::ffff:")) peer = peer.substr(7);
    }
    beast::tcp_stream stream(std::move(socket));
    auto state = std::make_shared<connection_state>();
    state->executor = stream.get_executor();
    state->stream = &stream;
    std::list<std::shared_ptr<connection_state>>::iterator self;
    {
        std::lock_guard lock(mutex_);
        connections_.push_front(state);
        self = connections_.begin();
    }
    a_.stats->connection_opened();
    struct cleanup {
        http_server* server;
        std::list<std::shared_ptr<connection_state>>::iterator it;
        app& a;
        ~cleanup() {
            (*it)->stream = nullptr;
            std::lock_guard lock(server->mutex_);
            server->connections_.erase(it);
            a.stats->connection_closed();
        }
    } on_exit{this, self, a_};

    const auto& limits = a_.cfg.http;
    // The buffer's cap bounds what one request head (or one chunk header) may hold: the header
    // limit, with room for the start of the body read with it.
    beast::flat_buffer buffer(limits.header_limit_bytes + 8192);
    std::string head;  // each answer's head, formatted here (the allocation kept for the next one)
    bool first = true;
    for (;;) {
        // While stopping, a connection still answers the request it was opened for, then closes.
        if (a_.stopping && !first) break;
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_limit_bytes));
        parser.body_limit(limits.body_limit_bytes);
        stream.expires_after(a_.stopping ? std::chrono::seconds(1)
                                         : std::chrono::seconds(first ? limits.read_timeout_s : limits.idle_timeout_s));
        first = false;
        auto [ec_header, n_header] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (ec_header) {
            if (ec_header == http::error::body_limit) {
                // The Content-Length announced more than the body limit.
                request dummy;
                dummy.version(11);
                auto res = error_response(dummy, core::errc::payload_too_large,
                                          "The request body is larger than " + std::to_string(limits.body_limit_bytes) + " bytes.");
                res.keep_alive(false);
                stream.expires_after(std::chrono::seconds(5));
                co_await write_answer(stream, res, head);
                a_.stats->observe(a_.stats->unmatched_route(), 413, 0);
            } else if (ec_header == http::error::header_limit) {
                request dummy;
                dummy.version(11);
                auto res = error_response(dummy, core::errc::payload_too_large, "The request headers are too large.");
                res.keep_alive(false);
                stream.expires_after(std::chrono::seconds(5));
                co_await write_answer(stream, res, head);
            } else if (ec_header != http::error::end_of_stream && ec_header != beast::error::timeout &&
                       ec_header != asio::error::operation_aborted && ec_header != asio::error::eof &&
                       ec_header != asio::error::connection_reset) {
                request dummy;
                dummy.version(11);
                auto res = error_response(dummy, core::errc::validation, "The request is not valid HTTP.");
                res.keep_alive(false);
                stream.expires_after(std::chrono::seconds(5));
                co_await write_answer(stream, res, head);
            }
            break;
        }
        state->busy = true;
        auto started = std::chrono::steady_clock::now();
        stream.expires_after(std::chrono::seconds(limits.read_timeout_s));

        auto content_length = parser.content_length();
        if (content_length && *content_length > limits.body_limit_bytes) {
            auto res = error_response(parser.get(), core::errc::payload_too_large,
                                      "The request body is larger than " + std::to_string(limits.body_limit_bytes) + " bytes.");
            res.keep_alive(false);
            co_await write_answer(stream, res, head);
            a_.stats->observe(a_.stats->unmatched_route(), 413, 0);
            break;
        }
        if (!parser.is_done() && wants_continue(parser.get())) {
            http::response<http::empty_body> cont{http::status::continue_, 11};
            auto [ec_c, n_c] = co_await http::async_write(stream, cont, asio::as_tuple(asio::use_awaitable));
            if (ec_c) break;
        }
        if (!parser.is_done()) {
            auto [ec_body, n_body] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            if (ec_body) {
                if (ec_body == http::error::body_limit) {
                    auto res = error_response(parser.get(), core::errc::payload_too_large,
                                              "The request body is larger than " + std::to_string(limits.body_limit_bytes) + " bytes.");
                    res.keep_alive(false);
                    co_await write_answer(stream, res, head);
                } else if (ec_body != beast::error::timeout && ec_body != asio::error::operation_aborted && ec_body != asio::error::eof &&
                           ec_body != asio::error::connection_reset && ec_body != http::error::end_of_stream &&
                           ec_body != http::error::partial_message) {
                    // A malformed chunked body (bad chunk size, chunk header too long): say so before closing.
                    auto res = error_response(parser.get(), core::invalid({{"body", "is not valid HTTP chunked encoding"}},
                                                                          "The request body is not valid HTTP."));
                    res.keep_alive(false);
                    co_await write_answer(stream, res, head);
                }
                break;
            }
        }
        request req = parser.release();

        // Server-sent event streams take the connection over.
        {
            std::string_view target = req.target();
            auto q = target.find('?');
            auto m = a_.routes.match(req.method(), target.substr(0, q));
            if (m.found && m.found->on_stream) {
                stream.expires_never();
                request_context ctx{a_, req, target.substr(0, q), q == std::string_view::npos ? std::string_view() : target.substr(q + 1),
                                    std::move(m.params), client_address(req, peer, a_.cfg.http.trusted_proxies), m.index};
                a_.stats->observe(m.index, 200, 0);
                try {
                    co_await m.found->on_stream(ctx, stream);
                } catch (const std::exception& e) {
                    spdlog::debug("http: stream ended: {}", e.what());
                }
                break;
            }
        }

        std::size_t route_index = a_.stats->unmatched_route();
        std::string client = client_address(req, peer, a_.cfg.http.trusted_proxies);
        response res = co_await answer(a_, req, client, route_index);
        if (a_.stopping) res.keep_alive(false);
        if (req.method() == http::verb::head && !res.body().empty()) {
            // GET routes answer HEAD: the same headers, no body (a body would be read as the next response).
            auto length = res.body().size();
            res.body().clear();
            res.content_length(length);
        }
        auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        a_.stats->observe(route_index, static_cast<int>(res.result_int()), elapsed);
        if (a_.access) {
            std::string_view target = req.target();
            a_.access->write({req.method_string(), target.substr(0, target.find('?')),
                              route_index < a_.routes.routes().size() ? std::string_view(a_.routes.routes()[route_index].pattern)
                                                                      : std::string_view(route_index == a_.stats->static_route() ? "static" : "unmatched"),
                              static_cast<int>(res.result_int()), elapsed * 1000.0, res.body().size(), client, req[http::field::user_agent]});
        }
        bool keep_alive = res.keep_alive();
        stream.expires_after(std::chrono::seconds(limits.read_timeout_s));
        auto ec_write = co_await write_answer(stream, res, head);
        state->busy = false;
        if (ec_write || !keep_alive) break;
    }
    boost::system::error_code ignore;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
    stream.socket().close(ignore);
}

}  // namespace ensemble::server
