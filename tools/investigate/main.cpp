// investigate: from "something is slow" to the culprit span, using Jaeger's query API.
// Exit codes (also in --help): 0 ok, 1 Jaeger unreachable or a bad answer, 2 usage error,
// 3 not found.

#include <cstdlib>
#include <exception>
#include <iostream>
#include <variant>

#include "tools/investigate/commands.hpp"
#include "tools/investigate/options.hpp"

int main(int argc, char** argv) {
  using namespace hotorder::investigate;
  const char* jaeger_env = std::getenv("JAEGER_UI_URL");
  auto parsed = ParseOptions(argc, argv, jaeger_env != nullptr ? jaeger_env : "");
  if (const auto* help = std::get_if<HelpRequested>(&parsed)) {
    std::cout << help->text;
    return kExitOk;
  }
  if (const auto* error = std::get_if<UsageError>(&parsed)) {
    std::cerr << "investigate: " << error->message << "\n";
    return kExitUsage;
  }
  try {
    return RunCommand(std::get<Options>(parsed), std::cout, std::cerr);
  } catch (const std::exception& error) {
    std::cerr << "investigate: " << error.what() << "\n";
    return kExitJaegerError;
  }
}
