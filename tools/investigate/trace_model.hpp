#pragma once
// One trace as Jaeger's query API returns it (/api/traces/{id}, /api/traces?...), turned into a
// span tree the analyses and renderers walk. Parsing never trusts the input: a span whose parent
// is not in the trace (not arrived yet, dropped, or a remote caller) becomes an extra root that
// is still shown, reference cycles are broken, and malformed fields are a ParseError.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace hotorder::investigate {

// A tag, process tag or log field. `value` keeps Jaeger's JSON type (string, bool, number).
struct Attribute {
  std::string key;
  nlohmann::json value;
};

// A Jaeger log: an OpenTelemetry span event. Its name is the field with key "event".
struct Event {
  std::int64_t timestamp_us = 0;
  std::string name;
  std::vector<Attribute> attributes;  // the other fields, in Jaeger's order
};

inline constexpr std::size_t kNoSpan = static_cast<std::size_t>(-1);

struct Span {
  std::string span_id;
  std::string operation;
  std::string service;
  std::string kind;  // the span.kind tag ("server", "client", ...), "" when absent
  std::int64_t start_us = 0;
  std::int64_t duration_us = 0;
  std::vector<Attribute> tags;
  std::vector<Event> events;
  std::vector<std::string> warnings;
  bool error = false;  // otel.status_code = "ERROR" or error = true

  // The CHILD_OF reference in this trace; empty for a true root.
  std::string parent_span_id;
  // Tree links (indexes into Trace::spans), filled by BuildTree.
  std::size_t parent = kNoSpan;
  std::vector<std::size_t> children;  // by start time
  int depth = 0;

  std::int64_t end_us() const noexcept { return start_us + duration_us; }
  // True when the span names a parent that is not in the trace.
  bool orphan() const noexcept { return parent == kNoSpan && !parent_span_id.empty(); }
  const Attribute* Tag(std::string_view key) const noexcept;
};

struct Trace {
  std::string trace_id;
  std::vector<Span> spans;
  std::vector<std::size_t> roots;       // true roots first, then orphans; each by start time
  std::vector<std::size_t> tree_order;  // depth first, children by start time
  std::size_t root = kNoSpan;           // the root the trace is about; kNoSpan when empty
  std::int64_t start_us = 0;            // earliest span start
  std::int64_t end_us = 0;              // latest span end

  std::int64_t duration_us() const noexcept { return end_us - start_us; }
  std::size_t ServiceCount() const;
  std::size_t ErrorCount() const;
  const Span* Root() const noexcept { return root == kNoSpan ? nullptr : &spans[root]; }
};

struct ParseError {
  std::string message;
};

// One element of the "data" array.
std::variant<Trace, ParseError> ParseJaegerTrace(const nlohmann::json& trace);
// A whole answer: {"data":[trace, ...]}. Traces without spans are left out.
std::variant<std::vector<Trace>, ParseError> ParseJaegerAnswer(const nlohmann::json& answer);

// Links spans into a tree and fills roots, tree_order, root, start_us and end_us. Done by the
// parsers; public so tests can build traces by hand.
void BuildTree(Trace& trace);

// A tag value as a person reads it: strings bare, everything else as JSON.
std::string DisplayValue(const nlohmann::json& value);

}  // namespace hotorder::investigate
