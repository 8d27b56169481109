#pragma once
// loadgen's command line, parsed into one immutable struct. Bad flags are a UsageError (main
// prints it with the usage text and exits 2).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mix.hpp"

namespace hotorder::loadgen {

// --baggage key=value[@ratio]: added to `ratio` (0..1, default 1) of the requests.
struct BaggageRule {
  std::string key;
  std::string value;
  double ratio = 1.0;
};

enum class LoopMode { kOpen, kClosed };

struct Options {
  std::string target = "http://127.0.0.1:8080";  // positional URL, or --target; http:// only
  std::string host;                                // parsed from target
  std::uint16_t port = 8080;                       // parsed from target

  LoopMode mode = LoopMode::kClosed;
  double rate = 0;                 // --rate R (requests/s; open loop)
  std::uint32_t concurrency = 1;   // --concurrency N (closed loop; default when neither given)
  std::uint32_t connections = 0;   // --connections C; 0 = auto (closed: N; open: see engine)

  std::optional<std::chrono::milliseconds> duration;  // --duration 10s|500ms|2m
  std::optional<std::uint64_t> requests;              // --requests N (exclusive with --duration;
                                                       // default when neither: --duration 10s)
  std::chrono::milliseconds warmup{0};                 // --warmup D, excluded from results
  std::chrono::milliseconds timeout{5000};             // --timeout D, per request

  Mix mix;                        // --mix; default kDefaultMix
  std::uint32_t sku_count = 100000;  // --skus N: size of the seeded catalogue
  std::uint64_t seed = 0;         // --seed N; 0 = random

  bool trace = false;             // --trace: a root span per request, service.name loadgen
  std::vector<BaggageRule> baggage;  // --baggage (repeatable)

  std::uint32_t slowest = 10;     // --slowest N requests listed in the report
  std::string json_path;          // --json FILE
  std::string csv_path;           // --csv FILE (per-second intervals)
  std::string trace_ids_path;     // --trace-ids FILE (every request's trace id, FormatTraceIds)
  std::optional<bool> progress;   // --progress / --no-progress; default: stderr is a terminal
  std::string jaeger_ui_url;      // env JAEGER_UI_URL, default http://localhost:16686
};

struct UsageError {
  std::string message;
};
struct HelpRequested {};

std::variant<Options, UsageError, HelpRequested> ParseOptions(int argc, const char* const* argv,
                                                              std::string jaeger_ui_url);
std::string UsageText();

// "10s", "500ms", "2m", "1h", "250us" is rejected (ms resolution); a bare number is seconds.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace hotorder::loadgen
