// floor_chain: the least a program can do to serve HotOrder's order flow, as the floor against
// which HotOrder's latency and throughput are judged (./hotorder bench system).
//
//   floor_chain front  --listen PORT --next PORT
//   floor_chain middle --listen PORT --next PORT --database URL
//   floor_chain back   --listen PORT --database URL
//   floor_chain echo   --listen PORT
//   floor_chain otlp-sink --listen PORT
//
// Every role binds 127.0.0.1 and stops cleanly on SIGTERM or SIGINT.

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "canned_server.hpp"
#include "roles.hpp"
#include "server.hpp"

namespace {

using hotorder::floor_chain::HandlerFactory;

struct Arguments {
  std::string role;
  std::optional<int> listen_port;
  std::optional<int> next_port;
  std::string database_url;
};

int Usage() {
  std::fputs(
      "usage: floor_chain front  --listen PORT --next PORT\n"
      "       floor_chain middle --listen PORT --next PORT --database URL\n"
      "       floor_chain back   --listen PORT --database URL\n"
      "       floor_chain echo   --listen PORT\n"
      "       floor_chain otlp-sink --listen PORT\n",
      stderr);
  return 2;
}

std::optional<int> ParsePort(std::string_view text) {
  int port = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

// Fills `arguments`; false (with the reason on stderr) on anything it does not understand.
bool Parse(int argc, char** argv, Arguments& arguments) {
  if (argc < 2) return false;
  arguments.role = argv[1];
  for (int i = 2; i < argc; i += 2) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "floor_chain: %s needs a value\n", argv[i]);
      return false;
    }
    std::string_view value = argv[i + 1];
    if (flag == "--listen" || flag == "--next") {
      auto port = ParsePort(value);
      if (!port) {
        std::fprintf(stderr, "floor_chain: %s: '%s' is not a port\n", argv[i], argv[i + 1]);
        return false;
      }
      (flag == "--listen" ? arguments.listen_port : arguments.next_port) = port;
    } else if (flag == "--database") {
      arguments.database_url = value;
    } else {
      std::fprintf(stderr, "floor_chain: unknown option %s\n", argv[i]);
      return false;
    }
  }
  return true;
}

// The chain role's handler factory, or nullopt when the role is unknown or lacks an option.
std::optional<HandlerFactory> MakeRole(const Arguments& arguments) {
  namespace fc = hotorder::floor_chain;
  bool has_next = arguments.next_port.has_value();
  bool has_database = !arguments.database_url.empty();
  if (arguments.role == "front" && has_next && !has_database) {
    return fc::FrontRole(*arguments.next_port);
  }
  if (arguments.role == "middle" && has_next && has_database) {
    return fc::MiddleRole(*arguments.next_port, arguments.database_url);
  }
  if (arguments.role == "back" && !has_next && has_database) {
    return fc::BackRole(arguments.database_url);
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fc = hotorder::floor_chain;
  Arguments arguments;
  if (!Parse(argc, argv, arguments) || !arguments.listen_port) return Usage();
  for (const auto* answer : {&fc::kEchoAnswer, &fc::kOtlpSinkAnswer}) {
    if (arguments.role != answer->role) continue;
    if (arguments.next_port || !arguments.database_url.empty()) return Usage();
    return fc::ServeCanned(*arguments.listen_port, *answer);
  }
  auto role = MakeRole(arguments);
  if (!role) return Usage();
  return hotorder::floor_chain::Serve(*arguments.listen_port, *role);
}
