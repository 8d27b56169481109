#include "loadgen/preflight.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace hotorder::loadgen {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

Preflight CheckReachable(const std::string& host, std::uint16_t port, milliseconds timeout) {
  asio::io_context io{1};
  tcp::resolver resolver(io);
  tcp::socket socket(io);
  asio::steady_timer timer(io);
  Preflight result;
  bool timed_out = false;

  timer.expires_after(timeout);
  timer.async_wait([&](const error_code& ec) {
    if (ec) return;
    timed_out = true;
    resolver.cancel();
    error_code ignored;
    socket.close(ignored);
  });
  auto fail = [&](const error_code& ec) {
    result.error = timed_out ? "no connection within " + std::to_string(timeout.count()) + " ms"
                             : ec.message();
  };
  resolver.async_resolve(
      host, std::to_string(port),
      [&](const error_code& ec, const tcp::resolver::results_type& endpoints) {
        if (ec || timed_out) {
          timer.cancel();
          return fail(ec);
        }
        asio::async_connect(socket, endpoints,
                            [&](const error_code& connect_ec, const tcp::endpoint& endpoint) {
                              timer.cancel();
                              if (connect_ec || timed_out) return fail(connect_ec);
                              result.endpoint = endpoint;
                            });
      });
  io.run();
  return result;
}

}  // namespace hotorder::loadgen
