#include "http/server.hpp"

#include <csignal>
#include <cstdlib>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

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
        io_(std::max(state_.options.io_threads, 1)),
        acceptor_(net::make_strand(io_)),
        retry_timer_(acceptor_.get_executor()) {
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

  ~Impl() {
    // Run() normally did this; without Run() it is the only place.
    state_.pool.Stop();
  }

  std::uint16_t port() const noexcept { return port_; }

  void Run(bool handle_signals) {
    std::optional<net::signal_set> signals;
    if (handle_signals) {
      signals.emplace(io_, SIGINT, SIGTERM);
      WaitForSignal(*signals);
    }
    net::post(acceptor_.get_executor(), [this] { Accept(); });
    auto work = net::make_work_guard(io_);
    std::vector<std::thread> threads;
    const int count = std::max(state_.options.io_threads, 1);
    for (int i = 0; i < count; ++i) threads.emplace_back([this] { RunIo(); });
    state_.telemetry.log.Info("http server listening",
                              {{"address", state_.options.listen_address},
                               {"port", port_},
                               {"io_threads", count},
                               {"worker_threads", state_.options.worker_threads}});

    {
      std::unique_lock lock(state_.mutex);
      state_.changed.wait(lock, [this] { return state_.shutdown_requested; });
    }
    Drain();

    work.reset();
    io_.stop();
    for (auto& thread : threads) thread.join();
    signals.reset();
    // No I/O thread runs any more, so touching sockets from here races with nothing.
    for (const auto& session : LiveSessions()) session->ForceClose();
    // Handlers still running after the grace are waited for (a thread cannot be interrupted);
    // requests still queued are dropped.
    state_.pool.Stop();
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
  void RunIo() noexcept {
    // Completion handlers do not throw (see Session::Guarded); this is the last line anyway, so
    // one bug cannot take an I/O thread away for good.
    while (true) {
      try {
        io_.run();
        return;
      } catch (const std::exception& error) {
        state_.telemetry.log.Error("unexpected exception on an I/O thread",
                                   {{"error", error.what()}});
      } catch (...) {
        state_.telemetry.log.Error("unexpected exception on an I/O thread");
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
    acceptor_.async_accept(net::make_strand(io_), [this](boost::system::error_code ec,
                                                         tcp::socket socket) {
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
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(state_.mutex);
      if (!state_.draining && state_.sessions.size() < state_.options.max_connections) {
        session = std::make_shared<Session>(std::move(socket), state_);
        state_.sessions.emplace(session.get(), session);
      }
    }
    if (session) {
      session->Start();
    } else {
      // Over the limit (or shutting down): closing at once is the cheapest answer there is.
      boost::system::error_code ignored;
      socket.close(ignored);
    }
    Accept();
  }

  std::vector<std::shared_ptr<Session>> LiveSessions() {
    std::vector<std::shared_ptr<Session>> live;
    std::lock_guard lock(state_.mutex);
    live.reserve(state_.sessions.size());
    for (const auto& [raw, weak] : state_.sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    return live;
  }

  // Stops accepting, closes idle connections, and waits for the others to finish their
  // responses (they close instead of keeping alive) within the grace period.
  void Drain() {
    state_.draining = true;
    state_.telemetry.log.Info("http server draining",
                              {{"grace_ms", state_.options.shutdown_grace.count()}});
    net::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      try {
        retry_timer_.cancel();
      } catch (...) {
      }
    });
    {
      // Released outside the lock below: the last reference may run a session's destructor,
      // which takes the lock itself.
      auto live = LiveSessions();
      for (const auto& session : live) session->BeginShutdown();
    }
    const auto deadline = std::chrono::steady_clock::now() + state_.options.shutdown_grace;
    std::unique_lock lock(state_.mutex);
    if (!state_.changed.wait_until(lock, deadline, [this] { return state_.sessions.empty(); })) {
      state_.telemetry.log.Warn("shutdown grace period over; closing remaining connections",
                                {{"connections", state_.sessions.size()}});
    }
  }

  // Declaration order is destruction order reversed: the io_context (and any session a pending
  // handler still holds) goes before the state those sessions refer to.
  ServerState state_;
  net::io_context io_;
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
