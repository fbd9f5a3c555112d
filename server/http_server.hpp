// The listener and its connections: one coroutine each, with timeouts, limits and graceful shutdown.
#pragma once

#include "server/app.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <list>
#include <memory>
#include <mutex>

namespace ensemble::server {

class http_server {
public:
    explicit http_server(app& a);
    ~http_server();

    // Binds the configured address (throws with a clear message when it cannot) and starts accepting.
    void start();
    // The port actually bound (useful with port 0).
    unsigned short port() const noexcept { return port_; }
    // Stops accepting, closes idle connections, lets requests in flight finish; returns when every
    // connection is closed or `deadline` has passed.
    void shutdown(std::chrono::milliseconds deadline);
    std::size_t open_connections() const;

    struct connection_state;

private:
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> run_connection(boost::asio::ip::tcp::socket socket);
    // Where the next connection runs: the I/O threads' contexts in turn.
    boost::asio::any_io_executor next_connection_executor();

    app& a_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::size_t next_context_ = 0;
    mutable std::mutex mutex_;
    std::list<std::shared_ptr<connection_state>> connections_;
};

// Answers one request through the route table (exposed for fuzzing and tests).
boost::asio::awaitable<response> answer(app& a, request& req, const std::string& client, std::size_t& route_index);

}  // namespace ensemble::server
