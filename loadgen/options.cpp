#include "loadgen/options.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <string_view>

#include "telemetry/propagation/w3c_baggage.hpp"

namespace hotorder::loadgen {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kDefaultJaegerUiUrl = "http://localhost:16686";
constexpr std::uint32_t kMaxSlowest = 100'000;
// A year: far beyond any run, far from overflowing milliseconds arithmetic.
constexpr double kMaxDurationMs = 365.0 * 24 * 3600 * 1000;

template <typename Integer>
std::optional<Integer> ParseInteger(std::string_view text) {
  Integer value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

struct Target {
  std::string normalized;
  std::string host;
  std::uint16_t port = 80;
};

// http://host[:port][/]. loadgen sends its own fixed /api/... paths, so a path prefix in the URL
// would be silently ignored: it is rejected instead, as are https, userinfo, query and fragment.
std::variant<Target, std::string> ParseTarget(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    if (url.find("://") != std::string_view::npos) {
      return "target \"" + std::string(url) + "\": only http:// is supported";
    }
    return "target \"" + std::string(url) + "\" must start with http://";
  }
  std::string_view rest = url.substr(kScheme.size());
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos && rest.substr(slash) != "/") {
    return "target \"" + std::string(url) +
           "\": a path is not allowed (loadgen sends /api/orders and /api/inventory itself)";
  }
  if (authority.find_first_of("@?#") != std::string_view::npos) {
    return "target \"" + std::string(url) + "\": only http://host[:port] is accepted";
  }
  Target target;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]
    auto close = authority.find(']');
    if (close == std::string_view::npos) return "target \"" + std::string(url) + "\": unclosed [";
    target.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return "target \"" + std::string(url) + "\": bad host";
      port_text = after.substr(1);
      if (port_text.empty()) return "target \"" + std::string(url) + "\": empty port";
    }
  } else {
    auto colon = authority.find(':');
    target.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return "target \"" + std::string(url) + "\": empty port";
    }
  }
  if (target.host.empty()) return "target \"" + std::string(url) + "\": no host";
  if (!port_text.empty()) {
    auto port = ParseInteger<std::uint32_t>(port_text);
    if (!port || *port == 0 || *port > 65535) {
      return "target \"" + std::string(url) + "\": port must be 1-65535";
    }
    target.port = static_cast<std::uint16_t>(*port);
  }
  bool ipv6 = target.host.find(':') != std::string::npos;
  target.normalized = "http://" + (ipv6 ? "[" + target.host + "]" : target.host) + ":" +
                      std::to_string(target.port);
  return target;
}

enum class Flag {
  kTarget, kRate, kConcurrency, kConnections, kDuration, kRequests, kWarmup, kTimeout, kMix,
  kSkus, kSeed, kTrace, kBaggage, kSlowest, kJson, kCsv, kTraceIds, kProgress, kNoProgress,
};

struct FlagSpec {
  std::string_view name;
  Flag flag;
  bool takes_value;
};

constexpr FlagSpec kFlags[] = {
    {"--target", Flag::kTarget, true},       {"--rate", Flag::kRate, true},
    {"--concurrency", Flag::kConcurrency, true}, {"--connections", Flag::kConnections, true},
    {"--duration", Flag::kDuration, true},   {"--requests", Flag::kRequests, true},
    {"--warmup", Flag::kWarmup, true},       {"--timeout", Flag::kTimeout, true},
    {"--mix", Flag::kMix, true},             {"--skus", Flag::kSkus, true},
    {"--seed", Flag::kSeed, true},           {"--trace", Flag::kTrace, false},
    {"--baggage", Flag::kBaggage, true},     {"--slowest", Flag::kSlowest, true},
    {"--json", Flag::kJson, true},           {"--csv", Flag::kCsv, true},
    {"--trace-ids", Flag::kTraceIds, true},
    {"--progress", Flag::kProgress, false},  {"--no-progress", Flag::kNoProgress, false},
};

std::string Quoted(std::string_view value) { return "\"" + std::string(value) + "\""; }

// A count flag: an integer in [low, high].
std::optional<std::string> ParseCount(std::string_view flag, std::string_view value,
                                      std::uint64_t low, std::uint64_t high, std::uint64_t& out) {
  auto parsed = ParseInteger<std::uint64_t>(value);
  if (!parsed || *parsed < low || *parsed > high) {
    return std::string(flag) + ": " + Quoted(value) + " must be an integer from " +
           std::to_string(low) + " to " + std::to_string(high);
  }
  out = *parsed;
  return std::nullopt;
}

// key=value[@ratio]. The '@' part is a ratio only when it reads as a number, so values such as
// "a@example.com" stay whole.
std::variant<BaggageRule, std::string> ParseBaggageRule(std::string_view text) {
  auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    return "--baggage: " + Quoted(text) + " is not key=value[@ratio]";
  }
  BaggageRule rule;
  rule.key = std::string(text.substr(0, equals));
  std::string_view value = text.substr(equals + 1);
  if (!telemetry::IsBaggageToken(rule.key)) {
    return "--baggage: key " + Quoted(rule.key) + " is not a valid baggage key (an RFC 7230 token)";
  }
  auto at = value.rfind('@');
  if (at != std::string_view::npos) {
    if (auto ratio = ParseNumber(value.substr(at + 1))) {
      if (!(*ratio > 0 && *ratio <= 1)) {
        return "--baggage: ratio in " + Quoted(text) + " must be in (0, 1]";
      }
      rule.ratio = *ratio;
      value = value.substr(0, at);
    }
  }
  rule.value = std::string(value);
  return rule;
}

}  // namespace

std::optional<milliseconds> ParseDuration(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    double ms;
  };
  // "ms" before "s" and "m": the longest suffix that matches wins.
  constexpr Unit kUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};
  double unit_ms = 1000;  // a bare number is seconds
  std::string_view number = text;
  for (const auto& unit : kUnits) {
    if (text.size() > unit.suffix.size() && text.ends_with(unit.suffix)) {
      unit_ms = unit.ms;
      number = text.substr(0, text.size() - unit.suffix.size());
      break;
    }
  }
  auto value = ParseNumber(number);
  if (!value || *value < 0) return std::nullopt;
  double ms = *value * unit_ms;
  double whole = std::round(ms);
  // Millisecond resolution: "1.5s" is fine, "0.25ms" (or "250us", which fails as a number) not.
  if (std::abs(ms - whole) > 1e-6 || whole > kMaxDurationMs) return std::nullopt;
  return milliseconds(static_cast<milliseconds::rep>(whole));
}

std::variant<Options, UsageError, HelpRequested> ParseOptions(int argc, const char* const* argv,
                                                              std::string jaeger_ui_url) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--help" || arg == "-h") return HelpRequested{};
  }

  Options options;
  bool target_given = false;
  std::set<Flag> seen;
  bool only_positional = false;
  auto error = [](std::string message) { return UsageError{std::move(message)}; };

  auto set_target = [&](std::string_view url) -> std::optional<std::string> {
    if (target_given) return "the target is given twice (" + Quoted(url) + ")";
    target_given = true;
    auto parsed = ParseTarget(url);
    if (auto* message = std::get_if<std::string>(&parsed)) return *message;
    auto& target = std::get<Target>(parsed);
    options.target = target.normalized;
    options.host = target.host;
    options.port = target.port;
    return std::nullopt;
  };

  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (only_positional || arg.empty() || arg.front() != '-' || arg == "-") {
      if (auto message = set_target(arg)) return error(*message);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (auto equals = arg.find('='); equals != std::string_view::npos) {
      name = arg.substr(0, equals);
      inline_value = arg.substr(equals + 1);
    }
    const FlagSpec* spec = nullptr;
    for (const auto& candidate : kFlags) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) return error("unknown flag " + std::string(name));
    if (spec->flag != Flag::kBaggage && !seen.insert(spec->flag).second) {
      return error(std::string(name) + " is given more than once");
    }
    std::string_view value;
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < argc && std::string_view(argv[i + 1]).substr(0, 2) != "--") {
        // A following "--flag" is the next flag, not this one's value.
        value = argv[++i];
      } else {
        return error(std::string(name) + " needs a value");
      }
    } else if (inline_value) {
      return error(std::string(name) + " takes no value");
    }

    std::uint64_t count = 0;
    std::optional<std::string> message;
    switch (spec->flag) {
      case Flag::kTarget:
        message = set_target(value);
        break;
      case Flag::kRate: {
        auto rate = ParseNumber(value);
        if (!rate || *rate <= 0) {
          message = "--rate: " + Quoted(value) + " must be a number of requests/s above 0";
        } else {
          options.rate = *rate;
          options.mode = LoopMode::kOpen;
        }
        break;
      }
      case Flag::kConcurrency:
        message = ParseCount(name, value, 1, 1'000'000, count);
        options.concurrency = static_cast<std::uint32_t>(count);
        break;
      case Flag::kConnections:
        message = ParseCount(name, value, 1, 1'000'000, count);
        options.connections = static_cast<std::uint32_t>(count);
        break;
      case Flag::kRequests:
        message = ParseCount(name, value, 1, std::numeric_limits<std::uint64_t>::max(), count);
        options.requests = count;
        break;
      case Flag::kSkus:
        message = ParseCount(name, value, 1, std::numeric_limits<std::uint32_t>::max(), count);
        options.sku_count = static_cast<std::uint32_t>(count);
        break;
      case Flag::kSeed:
        message = ParseCount(name, value, 0, std::numeric_limits<std::uint64_t>::max(), count);
        options.seed = count;
        break;
      case Flag::kSlowest:
        message = ParseCount(name, value, 0, kMaxSlowest, count);
        options.slowest = static_cast<std::uint32_t>(count);
        break;
      case Flag::kDuration:
      case Flag::kWarmup:
      case Flag::kTimeout: {
        auto duration = ParseDuration(value);
        bool zero_ok = spec->flag == Flag::kWarmup;
        if (!duration || (!zero_ok && duration->count() == 0)) {
          message = std::string(name) + ": " + Quoted(value) + " is not a duration" +
                    (zero_ok ? "" : " above 0") + " (e.g. 30s, 500ms, 2m, 1h)";
        } else if (spec->flag == Flag::kDuration) {
          options.duration = *duration;
        } else if (spec->flag == Flag::kWarmup) {
          options.warmup = *duration;
        } else {
          options.timeout = *duration;
        }
        break;
      }
      case Flag::kMix: {
        auto mix = ParseMix(value);
        if (auto* mix_error = std::get_if<MixError>(&mix)) {
          message = "--mix: " + mix_error->message;
        } else {
          options.mix = std::get<Mix>(mix);
        }
        break;
      }
      case Flag::kTrace:
        options.trace = true;
        break;
      case Flag::kBaggage: {
        auto rule = ParseBaggageRule(value);
        if (auto* rule_error = std::get_if<std::string>(&rule)) {
          message = *rule_error;
        } else {
          options.baggage.push_back(std::get<BaggageRule>(std::move(rule)));
        }
        break;
      }
      case Flag::kJson:
      case Flag::kCsv:
      case Flag::kTraceIds:
        if (value.empty()) {
          message = std::string(name) + " needs a file name";
        } else if (spec->flag == Flag::kJson) {
          options.json_path = std::string(value);
        } else if (spec->flag == Flag::kCsv) {
          options.csv_path = std::string(value);
        } else {
          options.trace_ids_path = std::string(value);
        }
        break;
      case Flag::kProgress:
      case Flag::kNoProgress:
        if (seen.contains(Flag::kProgress) && seen.contains(Flag::kNoProgress)) {
          message = "--progress and --no-progress exclude each other";
        }
        options.progress = spec->flag == Flag::kProgress;
        break;
    }
    if (message) return error(*message);
  }

  if (seen.contains(Flag::kRate) && seen.contains(Flag::kConcurrency)) {
    return error("--rate (open loop) and --concurrency (closed loop) exclude each other");
  }
  if (seen.contains(Flag::kDuration) && seen.contains(Flag::kRequests)) {
    return error("--duration and --requests exclude each other");
  }
  if (!options.duration && !options.requests) options.duration = std::chrono::seconds(10);
  if (!target_given) {
    // The default target goes through the same parser, so host and port are always filled.
    auto default_target = std::get<Target>(ParseTarget(Options{}.target));
    options.target = default_target.normalized;
    options.host = default_target.host;
    options.port = default_target.port;
  }
  if (!seen.contains(Flag::kMix)) options.mix = std::get<Mix>(ParseMix(kDefaultMix));
  options.jaeger_ui_url = jaeger_ui_url.empty() ? std::string(kDefaultJaegerUiUrl) : jaeger_ui_url;
  while (options.jaeger_ui_url.size() > 1 && options.jaeger_ui_url.back() == '/') {
    options.jaeger_ui_url.pop_back();
  }
  return options;
}

std::string UsageText() {
  return R"(usage: loadgen [options] [http://host[:port]]

Sends orders to api-gateway and reports throughput, status codes and latency.

target
  URL | --target URL        http://host[:port] only, no path   (default http://127.0.0.1:8080)

load (one of; default --concurrency 1)
  --rate R                  open loop: R requests/s on a fixed schedule; latency counts from the
                            intended send time, so queueing is not hidden
  --concurrency N           closed loop: N requests in flight, each sent when one completes
  --connections C           TCP connections (default: N in closed loop, chosen for R in open loop)

length (one of; default --duration 10s)
  --duration D              measure for D: 500ms, 30s, 2m, 1h; a bare number is seconds
  --requests N              stop after N requests
  --warmup D                run D first and leave it out of the results   (default 0)
  --timeout D               per request                                   (default 5s)

requests
  --mix M                   scenario weights (default ok=90,empty=3,unknown-sku=3,out-of-stock=2,get=2)
                            ok -> 201, empty -> 400, unknown-sku -> 404, out-of-stock -> 409, get -> 200
  --skus N                  size of the seeded catalogue, as db/seed.sql   (default 100000)
  --seed N                  random seed for a repeatable run               (default 0 = random)

tracing
  --trace                   start a root span per request (service.name loadgen)   (default off)
  --baggage K=V[@RATIO]     add baggage K=V to RATIO (0..1] of requests, repeatable (default none)

output
  --slowest N               slowest requests listed, with Jaeger links   (default 10)
  --json FILE               write the report as JSON                     (default none)
  --csv FILE                write per-second figures as CSV              (default none)
  --trace-ids FILE          write every request's trace id, scenario, status and latency,
                            one per line (what `investigate kept` checks against Jaeger)
  --progress, --no-progress a progress line every second   (default: when stderr is a terminal)
  -h, --help                this text

Flags take their value as --flag VALUE or --flag=VALUE. JAEGER_UI_URL sets the link base
(default http://localhost:16686).

examples
  loadgen --rate 200 --duration 30s http://127.0.0.1:8080
  loadgen --concurrency 32 --requests 100000 --mix ok=1 http://127.0.0.1:8080
  loadgen --rate 1000 --warmup 5s --trace --baggage tenant=acme@0.1 --json run.json
)";
}

}  // namespace hotorder::loadgen
