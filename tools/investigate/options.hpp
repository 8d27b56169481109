#pragma once
// investigate's command line, parsed into one immutable struct. A bad command line is a
// UsageError (main prints its one line and exits 2); --help anywhere asks for the usage text of
// the command it follows.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tools/investigate/duration.hpp"
#include "tools/investigate/jaeger_client.hpp"

namespace hotorder::investigate {

inline constexpr std::string_view kDefaultJaegerUrl = "http://127.0.0.1:16686";

enum class Command { kFind, kShow, kExplain, kKept };

// kept: a label and a file of trace ids (loadgen --trace-ids).
struct IdFile {
  std::string label;
  std::string path;
};

struct Options {
  Command command = Command::kFind;
  BaseUrl jaeger;                   // --jaeger URL; env JAEGER_UI_URL; kDefaultJaegerUrl
  std::optional<Micros> wait;       // --wait D: poll until found or D has passed
  Micros timeout{std::chrono::seconds(5)};  // --timeout D, per HTTP request
  bool json = false;                // --json
  bool ascii = false;               // --ascii (show): ASCII bars instead of block characters
  std::string trace_id;             // show, explain: lowercase hex, 16 or 32 digits
  SearchQuery search{.service = "api-gateway"};  // find
  std::vector<IdFile> id_files;     // kept: LABEL=FILE arguments, in order
};

struct UsageError {
  std::string message;
};
struct HelpRequested {
  std::string text;
};

// `jaeger_env` is JAEGER_UI_URL ("" when unset).
std::variant<Options, UsageError, HelpRequested> ParseOptions(int argc, const char* const* argv,
                                                              std::string_view jaeger_env);

std::string MainUsage();
std::string CommandUsage(Command command);

// Lowercase 32 (or 16) hex digits; nullopt otherwise.
std::optional<std::string> NormalizeTraceId(std::string_view text);

}  // namespace hotorder::investigate
