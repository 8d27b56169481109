#include "tools/investigate/options.hpp"

#include <charconv>
#include <utility>
#include <vector>

namespace hotorder::investigate {
namespace {

constexpr int kMaxLimit = 1000;

constexpr std::string_view kCommonOptions = R"(Common options:
  --jaeger URL     Jaeger query API (default: $JAEGER_UI_URL, else http://127.0.0.1:16686)
  --wait D         poll (every 250ms) until the trace exists / something matches, up to D;
                   spans reach Jaeger seconds after a request (batching, tail sampling).
                   then the answer is read again until no span has arrived for 1.5s and
                   every parent is there, so a half-arrived trace is not listed or analysed
  --timeout D      per HTTP request to Jaeger (default 5s)
  -h, --help       this text

Durations: 850us, 300ms, 1.5s, 2m, 1h.
)";

constexpr std::string_view kExitCodes = R"(Exit codes:
  0  done
  1  Jaeger unreachable or gave a bad answer
  2  usage error (bad flag, bad duration, malformed trace id)
  3  not found (no such trace yet; find: no trace matches)
)";

std::string FindUsage() {
  return std::string(R"(usage: investigate find [options]

Lists recent traces, slowest first: trace id, start (local time), duration, spans, services,
errors, and the root span.

Options:
  --service S        service whose spans to match (default api-gateway)
  --operation OP     operation name to match (default: any)
  --min-duration D   only traces with a matching span at least this long
  --max-duration D   only traces with a matching span at most this long
  --lookback D       how far back to search (default 1h)
  --limit N          at most N traces (default 20, at most 1000)
  --json             {"traces":[{"trace_id","start_time_us","duration_us","span_count",
                     "service_count","error_count","root":{"service","operation"}}]}
                     ({"traces":[]} with exit code 3 when nothing matches)
)") + "\n" + std::string(kCommonOptions) +
         "\n" + std::string(kExitCodes);
}

std::string ShowUsage() {
  return std::string(R"(usage: investigate show TRACE_ID [options]

Prints the trace as a waterfall: one row per span in tree order (children by start time),
indented by depth, with a timeline bar scaled to the trace, service, duration, self time (not
spent in children) and ERROR for failed spans; each span's events are listed under it with
their offset from the trace start. A span whose parent is missing is shown as an extra root.

TRACE_ID is 32 hex digits (16 accepted).

Options:
  --ascii          draw bars with - and # instead of block characters
  --json           {"trace_id","duration_us","span_count","service_count","error_count",
                   "spans":[{"span_id","parent_span_id","depth","service","operation","kind",
                   "start_offset_us","duration_us","error","attributes":{...},
                   "events":[{"name","offset_us","span_offset_us","attributes"}]}]}
                   spans in the waterfall's order; offsets are from the trace start
)") + "\n" + std::string(kCommonOptions) +
         "\n" + std::string(kExitCodes);
}

std::string ExplainUsage() {
  return std::string(R"(usage: investigate explain TRACE_ID [options]

Walks the critical path (from the root's end backwards, the child finishing last before the
cursor is on the path) and names the culprit: the span with the most self time on that path,
with its share of the root's duration, its events and its notable attributes (db.*, demo.*,
http.*, url.*, server.*, error, otel.status_description).

TRACE_ID is 32 hex digits (16 accepted).

Options:
  --json           {"trace_id","root":{"span_id","service","operation","start_time_us",
                   "duration_us","error"},"duration_us","span_count","service_count",
                   "error_count","orphan_count","critical_path":[{"span_id","service",
                   "operation","self_us","share"}],"culprit":{"span_id","service",
                   "operation","kind","start_offset_us","duration_us","self_us","share",
                   "error","events":[{"name","offset_us","span_offset_us","attributes"}],
                   "attributes":{...}}}
                   share is of the root's duration (0..1); offset_us is from the trace
                   start, span_offset_us from the culprit's start
)") + "\n" + std::string(kCommonOptions) +
         "\n" + std::string(kExitCodes);
}

std::string KeptUsage() {
  return std::string(R"(usage: investigate kept LABEL=FILE [LABEL=FILE...] [options]

Counts which of the traces a client sent reached Jaeger: for each FILE of trace ids (loadgen
--trace-ids: a header line, then one trace id per line at the start of each line), asks Jaeger
for every trace and prints, per LABEL, how many were sent, kept (in Jaeger) and dropped. Under
tail sampling this shows what the pipeline keeps; under the default pipeline every trace should
be there. Run it after the pipeline has decided (tail sampling decides seconds after a trace's
first span; `investigate show --wait` on the last trace sent waits for that).

Options:
  --json           {"groups":[{"label","sent","kept","dropped","kept_share"}]}
)") + "\n" + std::string(kCommonOptions) +
         "\n" + std::string(kExitCodes);
}

std::string_view CommandName(Command command) {
  switch (command) {
    case Command::kFind:
      return "find";
    case Command::kShow:
      return "show";
    case Command::kExplain:
      return "explain";
    case Command::kKept:
      return "kept";
  }
  return "";
}

std::optional<Command> CommandFromName(std::string_view name) {
  if (name == "find") return Command::kFind;
  if (name == "show") return Command::kShow;
  if (name == "explain") return Command::kExplain;
  if (name == "kept") return Command::kKept;
  return std::nullopt;
}

// One argument list walked left to right; "--name=value" and "--name value" both work.
class Arguments {
 public:
  Arguments(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) items_.emplace_back(argv[i]);
  }
  bool Done() const { return next_ >= items_.size(); }
  std::string_view Peek() const { return items_[next_]; }
  std::string_view Take() { return items_[next_++]; }

 private:
  std::vector<std::string_view> items_;
  std::size_t next_ = 0;
};

struct Failure {
  std::string message;
};

class Parser {
 public:
  Parser(Arguments& arguments, Options& options) : args_(arguments), options_(options) {}

  // The value of an option: after "=" or the next argument.
  std::string_view Value(std::string_view name, std::optional<std::string_view> inline_value) {
    if (inline_value) return *inline_value;
    if (args_.Done()) throw Failure{std::string(name) + " needs a value"};
    return args_.Take();
  }

  Micros DurationValue(std::string_view name, std::string_view text, bool allow_zero) {
    const auto parsed = ParseDuration(text);
    if (!parsed) {
      throw Failure{std::string(name) + " \"" + std::string(text) +
                    "\" is not a duration (like 300ms, 1.5s, 2m)"};
    }
    if (!allow_zero && parsed->count() == 0) throw Failure{std::string(name) + " must be > 0"};
    return *parsed;
  }

  // Options every command takes; false when `name` is not one of them.
  bool Common(std::string_view name, std::optional<std::string_view> inline_value) {
    if (name == "--jaeger") {
      jaeger_text_ = std::string(Value(name, inline_value));
      jaeger_from_flag_ = true;
    } else if (name == "--wait") {
      options_.wait = DurationValue(name, Value(name, inline_value), true);
    } else if (name == "--timeout") {
      options_.timeout = DurationValue(name, Value(name, inline_value), false);
    } else {
      return false;
    }
    return true;
  }

  bool CommandOption(Command command, std::string_view name,
                     std::optional<std::string_view> inline_value) {
    if (name == "--json") {
      NoValue(name, inline_value);
      options_.json = true;
      return true;
    }
    if (name == "--ascii" && command == Command::kShow) {
      NoValue(name, inline_value);
      options_.ascii = true;
      return true;
    }
    if (command != Command::kFind) return false;
    SearchQuery& search = options_.search;
    if (name == "--service") {
      search.service = std::string(Value(name, inline_value));
      if (search.service.empty()) throw Failure{"--service must not be empty"};
    } else if (name == "--operation") {
      search.operation = std::string(Value(name, inline_value));
    } else if (name == "--min-duration") {
      search.min_duration = DurationValue(name, Value(name, inline_value), true);
    } else if (name == "--max-duration") {
      search.max_duration = DurationValue(name, Value(name, inline_value), false);
    } else if (name == "--lookback") {
      search.lookback = DurationValue(name, Value(name, inline_value), false);
    } else if (name == "--limit") {
      const std::string_view text = Value(name, inline_value);
      int value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
          value < 1 || value > kMaxLimit) {
        throw Failure{"--limit \"" + std::string(text) + "\" is not a number from 1 to " +
                      std::to_string(kMaxLimit)};
      }
      search.limit = value;
    } else {
      return false;
    }
    return true;
  }

  static void NoValue(std::string_view name, std::optional<std::string_view> inline_value) {
    if (inline_value) throw Failure{std::string(name) + " takes no value"};
  }

  bool jaeger_from_flag() const { return jaeger_from_flag_; }
  const std::string& jaeger_text() const { return jaeger_text_; }

 private:
  Arguments& args_;
  Options& options_;
  std::string jaeger_text_;
  bool jaeger_from_flag_ = false;
};

std::pair<std::string_view, std::optional<std::string_view>> SplitFlag(std::string_view arg) {
  const auto equals = arg.find('=');
  if (equals == std::string_view::npos) return {arg, std::nullopt};
  return {arg.substr(0, equals), arg.substr(equals + 1)};
}

bool IsHelp(std::string_view arg) { return arg == "-h" || arg == "--help"; }

}  // namespace

std::optional<std::string> NormalizeTraceId(std::string_view text) {
  if (text.size() != 32 && text.size() != 16) return std::nullopt;
  std::string id;
  id.reserve(text.size());
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      id.push_back(c);
    } else if (c >= 'a' && c <= 'f') {
      id.push_back(c);
    } else if (c >= 'A' && c <= 'F') {
      id.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      return std::nullopt;
    }
  }
  return id;
}

std::string MainUsage() {
  return std::string(R"(usage: investigate <command> [options]

Walks from "something is slow" to the span that made it slow, using Jaeger's query API.

Commands:
  find       list recent traces, slowest first (filter by service, operation, duration)
  show       print one trace as a waterfall, with self times and span events
  explain    walk a trace's critical path and name the culprit span, with its evidence
  kept       count which of the traces a client sent reached Jaeger (sampling at work)

A typical session:
  investigate find --min-duration 300ms
  investigate show 4bf92f3577b34da6a3ce929d0e0e4736
  investigate explain 4bf92f3577b34da6a3ce929d0e0e4736

Run 'investigate <command> --help' for the command's options.

)") + std::string(kCommonOptions) +
         "\n" + std::string(kExitCodes);
}

std::string CommandUsage(Command command) {
  switch (command) {
    case Command::kFind:
      return FindUsage();
    case Command::kShow:
      return ShowUsage();
    case Command::kExplain:
      return ExplainUsage();
    case Command::kKept:
      return KeptUsage();
  }
  return MainUsage();
}

std::variant<Options, UsageError, HelpRequested> ParseOptions(int argc, const char* const* argv,
                                                              std::string_view jaeger_env) {
  Options options;
  Arguments args(argc, argv);
  Parser parser(args, options);
  std::optional<Command> command;
  std::optional<std::string> positional;
  try {
    while (!args.Done()) {
      const std::string_view arg = args.Take();
      if (IsHelp(arg)) {
        return HelpRequested{command ? CommandUsage(*command) : MainUsage()};
      }
      if (!command && arg == "help") {
        if (args.Done()) return HelpRequested{MainUsage()};
        const auto named = CommandFromName(args.Peek());
        if (!named) throw Failure{"no command \"" + std::string(args.Peek()) + "\""};
        return HelpRequested{CommandUsage(*named)};
      }
      if (arg.size() > 1 && arg.front() == '-') {
        const auto [name, inline_value] = SplitFlag(arg);
        if (parser.Common(name, inline_value)) continue;
        if (command && parser.CommandOption(*command, name, inline_value)) continue;
        if (!command) {
          throw Failure{"unknown option " + std::string(name) +
                        " before the command (see investigate --help)"};
        }
        throw Failure{"unknown option " + std::string(name) + " for " +
                      std::string(CommandName(*command)) + " (see investigate " +
                      std::string(CommandName(*command)) + " --help)"};
      }
      if (!command) {
        command = CommandFromName(arg);
        if (!command) {
          throw Failure{"no command \"" + std::string(arg) +
                        "\": use find, show, explain or kept (see investigate --help)"};
        }
        continue;
      }
      if (*command == Command::kKept) {
        const auto equals = arg.find('=');
        if (equals == 0 || equals == std::string_view::npos || equals + 1 == arg.size()) {
          throw Failure{"kept takes LABEL=FILE, not \"" + std::string(arg) + "\""};
        }
        options.id_files.push_back({std::string(arg.substr(0, equals)),
                                    std::string(arg.substr(equals + 1))});
        continue;
      }
      if (*command == Command::kFind || positional) {
        throw Failure{"unexpected argument \"" + std::string(arg) + "\" for " +
                      std::string(CommandName(*command))};
      }
      positional = std::string(arg);
    }
    if (!command) {
      throw Failure{"a command is needed: find, show, explain or kept (see investigate --help)"};
    }
    options.command = *command;

    if (*command == Command::kKept && options.id_files.empty()) {
      throw Failure{"kept needs at least one LABEL=FILE (a file of trace ids)"};
    }
    if (*command == Command::kShow || *command == Command::kExplain) {
      const std::string name(CommandName(*command));
      if (!positional) throw Failure{name + " needs a TRACE_ID (32 hex digits)"};
      const auto id = NormalizeTraceId(*positional);
      if (!id) {
        throw Failure{"trace id \"" + *positional +
                      "\" is malformed: expected 32 hex digits (or 16)"};
      }
      options.trace_id = *id;
    }
    const auto& search = options.search;
    if (search.min_duration && search.max_duration && *search.max_duration < *search.min_duration) {
      throw Failure{"--max-duration is shorter than --min-duration"};
    }

    std::string jaeger_text = parser.jaeger_text();
    std::string_view source = "--jaeger";
    if (!parser.jaeger_from_flag()) {
      jaeger_text = jaeger_env.empty() ? std::string(kDefaultJaegerUrl) : std::string(jaeger_env);
      source = "JAEGER_UI_URL";
    }
    auto base = ParseBaseUrl(jaeger_text);
    if (auto* problem = std::get_if<std::string>(&base)) {
      throw Failure{std::string(source) + " " + *problem};
    }
    options.jaeger = std::get<BaseUrl>(std::move(base));
  } catch (const Failure& failure) {
    return UsageError{failure.message};
  }
  return options;
}

}  // namespace hotorder::investigate
