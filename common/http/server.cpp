#include "http/server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <optional>
#include <system_error>
#include <thread>
#include <memory>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/server_state.hpp"
#include "http/session.hpp"

namespace hotorder::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// After a failed accept (out of file descriptors, most likely) wait before trying again rather
// than spinning on the same error.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

[[noreturn]] void ThrowSystemError(const boost::system::error_code& ec, const std::string& what) {
  throw std::system_error(std::error_code(ec.value(), std::system_category()), what);
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Router router, ServerTelemetry telemetry, ReadinessCheck ready)
      : state_(std::move(options), std::move(router), std::move(telemetry), std::move(ready)),
        acceptor_(io_),
        retry_timer_(io_) {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(state_.options.listen_address, ec);
    if (ec) ThrowSystemError(ec, "invalid listen address " + state_.options.listen_address);
    const tcp::endpoint endpoint(address, state_.options.port);
    const std::string where = endpoint.address().to_string() + ":" +
                              std::to_string(state_.options.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) ThrowSystemError(ec, "cannot open a socket for " + where);
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    if (ec) ThrowSystemError(ec, "cannot bind " + where);
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) ThrowSystemError(ec, "cannot listen on " + where);
    port_ = acceptor_.local_endpoint(ec).port();
  }

  std::uint16_t port() const noexcept { return port_; }

  void Run(bool handle_signals) {
    std::optional<net::signal_set> signals;
    if (handle_signals) {
      signals.emplace(io_, SIGINT, SIGTERM);
      WaitForSignal(*signals);
    }
    Accept();
    auto work = net::make_work_guard(io_);
    // The one thread that accepts connections and sees signals; each connection gets its own.
    std::thread acceptor_thread([this] { RunAcceptor(); });
    state_.telemetry.log.Info("http server listening",
                              {{"address", state_.options.listen_address},
                               {"port", port_},
                               {"max_handlers", state_.options.max_handlers},
                               {"max_connections", state_.options.max_connections}});

    {
      std::unique_lock lock(state_.mutex);
      state_.changed.wait(lock, [this] { return state_.shutdown_requested; });
    }
    Drain();

    work.reset();
    io_.stop();
    acceptor_thread.join();
    signals.reset();
    state_.telemetry.log.Info("http server stopped");
  }

  void Shutdown() noexcept {
    // At once, not when Run's thread gets to it: a response written after Shutdown() returns
    // already says Connection: close.
    state_.draining = true;
    {
      std::lock_guard lock(state_.mutex);
      state_.shutdown_requested = true;
    }
    state_.changed.notify_all();
  }

 private:
  void RunAcceptor() noexcept {
    // Completion handlers here do not throw; this is the last line anyway, so one bug cannot
    // stop the server from accepting for good.
    while (true) {
      try {
        io_.run();
        return;
      } catch (const std::exception& error) {
        state_.telemetry.log.Error("unexpected exception on the accepting thread",
                                   {{"error", error.what()}});
      } catch (...) {
        state_.telemetry.log.Error("unexpected exception on the accepting thread");
      }
    }
  }

  void WaitForSignal(net::signal_set& signals) {
    signals.async_wait([this, &signals](const boost::system::error_code& ec, int number) {
      if (ec) return;
      if (signals_seen_++ > 0) {
        // The operator asked twice: stop waiting for in-flight work.
        std::_Exit(1);
      }
      state_.telemetry.log.Info("signal received; shutting down gracefully",
                                {{"signal", number}});
      Shutdown();
      WaitForSignal(signals);
    });
  }

  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      try {
        OnAccept(ec, std::move(socket));
      } catch (const std::exception& error) {
        state_.telemetry.log.Error("accept failed", {{"error", error.what()}});
        if (acceptor_.is_open()) Accept();
      }
    });
  }

  void OnAccept(boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || ec == net::error::operation_aborted) return;
    if (ec) {
      state_.telemetry.log.Warn("accept failed", {{"error", ec.message()}});
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec && acceptor_.is_open()) Accept();
      });
      return;
    }
    Accept();
    // Responses are small and written at once; Nagle would only hold them back.
    socket.set_option(tcp::no_delay(true), ec);
    const auto endpoints = Endpoints(socket);
    std::unique_lock lock(state_.mutex);
    if (state_.draining || state_.connections.size() >= state_.options.max_connections) {
      // Over the limit (or shutting down): closing at once is the cheapest answer there is.
      return;  // the socket closes as it goes out of scope
    }
    const std::uint64_t id = state_.next_connection++;
    const int fd = socket.release(ec);
    if (ec) return;
    std::unique_ptr<Session> session;
    try {
      session = std::make_unique<Session>(fd, endpoints, state_);
    } catch (...) {
      ::close(fd);
      throw;
    }
    // Registered only once the session owns the socket: an entry here is always one that a
    // connection's thread (or the failure path below) will remove, or Run() would wait forever.
    state_.connections.emplace(id, fd);
    try {
      std::thread(ServeConnection, std::move(session), id, std::ref(state_)).detach();
    } catch (const std::system_error& error) {
      // The session was destroyed with the thread's arguments, closing the socket.
      state_.connections.erase(id);
      lock.unlock();
      state_.telemetry.log.Error("cannot start a connection's thread; closed it",
                                 {{"error", error.what()}});
    }
  }

  // A connection's thread: serves it, then closes its socket while deregistering it (see
  // ServerState::connections), and touches nothing of the server after that.
  static void ServeConnection(std::unique_ptr<Session> session, std::uint64_t id,
                              ServerState& state) noexcept {
    session->Serve();
    std::lock_guard lock(state.mutex);
    session.reset();
    state.connections.erase(id);
    state.changed.notify_all();
  }

  static ConnectionEndpoints Endpoints(const tcp::socket& socket) {
    ConnectionEndpoints endpoints;
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (!ec) {
      endpoints.client_address = remote.address().to_string();
      endpoints.client_port = remote.port();
    }
    const auto local = socket.local_endpoint(ec);
    if (!ec) {
      endpoints.local_address = local.address().to_string();
      endpoints.local_port = local.port();
    }
    return endpoints;
  }

  // Stops accepting, ends idle connections, and waits for the others to finish their
  // responses (they close instead of keeping alive) within the grace period. After it, the
  // remaining connections are shut down and requests waiting for a handler slot dropped; a
  // handler still running is waited for, since a thread cannot be interrupted.
  void Drain() {
    state_.draining = true;
    state_.telemetry.log.Info("http server draining",
                              {{"grace_ms", state_.options.shutdown_grace.count()}});
    net::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      try {
        retry_timer_.cancel();
      } catch (...) {
      }
    });
    state_.stop.Signal();
    const auto deadline = std::chrono::steady_clock::now() + state_.options.shutdown_grace;
    std::unique_lock lock(state_.mutex);
    const auto closed = [this] { return state_.connections.empty(); };
    if (state_.changed.wait_until(lock, deadline, closed)) return;
    state_.telemetry.log.Warn("shutdown grace period over; closing remaining connections",
                              {{"connections", state_.connections.size()}});
    for (const auto& [id, fd] : state_.connections) ::shutdown(fd, SHUT_RDWR);
    state_.slots.Stop();
    state_.changed.wait(lock, closed);
  }

  // Declaration order is destruction order reversed: the io_context goes before the state.
  ServerState state_;
  net::io_context io_{1};
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  std::uint16_t port_ = 0;
  int signals_seen_ = 0;
};

Server::Server(ServerOptions options, Router router, ServerTelemetry telemetry,
               ReadinessCheck ready)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(telemetry),
                                   std::move(ready))) {}

Server::~Server() = default;

std::uint16_t Server::port() const noexcept { return impl_->port(); }

void Server::Run(bool handle_signals) { impl_->Run(handle_signals); }

void Server::Shutdown() noexcept { impl_->Shutdown(); }

}  // namespace hotorder::http
