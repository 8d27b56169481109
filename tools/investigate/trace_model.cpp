#include "tools/investigate/trace_model.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

namespace hotorder::investigate {
namespace {

using nlohmann::json;

// Thrown inside this file only, turned into a ParseError at the public boundary.
struct BadField {
  std::string message;
};

const json& Field(const json& object, std::string_view key, std::string_view where) {
  const auto found = object.find(key);
  if (found == object.end()) {
    throw BadField{std::string(where) + " has no \"" + std::string(key) + "\""};
  }
  return *found;
}

std::string StringField(const json& object, std::string_view key, std::string_view where) {
  const json& value = Field(object, key, where);
  if (!value.is_string()) {
    throw BadField{std::string(where) + " \"" + std::string(key) + "\" is not a string"};
  }
  return value.get<std::string>();
}

std::int64_t IntegerField(const json& object, std::string_view key, std::string_view where) {
  const json& value = Field(object, key, where);
  if (value.is_number_integer()) return value.get<std::int64_t>();
  // Some encoders write whole numbers as 1.7e15; accept them when they are whole.
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (number == static_cast<double>(static_cast<std::int64_t>(number))) {
      return static_cast<std::int64_t>(number);
    }
  }
  throw BadField{std::string(where) + " \"" + std::string(key) + "\" is not an integer"};
}

// An absent or null array is empty (Jaeger writes "warnings": null).
const json& ArrayField(const json& object, std::string_view key, std::string_view where) {
  static const json kEmpty = json::array();
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return kEmpty;
  if (!found->is_array()) {
    throw BadField{std::string(where) + " \"" + std::string(key) + "\" is not an array"};
  }
  return *found;
}

std::vector<Attribute> ParseKeyValues(const json& list, std::string_view where) {
  std::vector<Attribute> attributes;
  attributes.reserve(list.size());
  for (const json& item : list) {
    if (!item.is_object()) throw BadField{std::string(where) + " has an entry that is not an object"};
    attributes.push_back({StringField(item, "key", where), item.value("value", json())});
  }
  return attributes;
}

bool IsTrue(const json& value) {
  return (value.is_boolean() && value.get<bool>()) ||
         (value.is_string() && value.get<std::string>() == "true");
}

Span ParseSpan(const json& item, const std::string& trace_id, const json& processes) {
  if (!item.is_object()) throw BadField{"a span is not an object"};
  Span span;
  span.span_id = StringField(item, "spanID", "a span");
  const std::string where = "span " + span.span_id;
  span.operation = StringField(item, "operationName", where);
  span.start_us = IntegerField(item, "startTime", where);
  span.duration_us = IntegerField(item, "duration", where);
  if (span.duration_us < 0) throw BadField{where + " has a negative duration"};

  // The process is shared through "processes" (the normal form) or embedded in the span.
  const json* process = nullptr;
  if (const auto id = item.find("processID"); id != item.end() && id->is_string()) {
    if (const auto found = processes.find(id->get<std::string>()); found != processes.end()) {
      process = &*found;
    }
  }
  if (process == nullptr) {
    if (const auto embedded = item.find("process"); embedded != item.end()) process = &*embedded;
  }
  span.service = "unknown-service";
  if (process != nullptr && process->is_object()) {
    if (const auto name = process->find("serviceName"); name != process->end() && name->is_string()) {
      span.service = name->get<std::string>();
    }
  }

  for (const json& reference : ArrayField(item, "references", where)) {
    if (!reference.is_object()) throw BadField{where + " has a reference that is not an object"};
    if (reference.value("refType", "") != "CHILD_OF") continue;  // links are FOLLOWS_FROM
    const std::string ref_trace = reference.value("traceID", trace_id);
    if (ref_trace != trace_id) continue;
    span.parent_span_id = StringField(reference, "spanID", where + " reference");
    break;
  }

  span.tags = ParseKeyValues(ArrayField(item, "tags", where), where + " tags");
  for (const Attribute& tag : span.tags) {
    if (tag.key == "otel.status_code" && tag.value == "ERROR") span.error = true;
    if (tag.key == "error" && IsTrue(tag.value)) span.error = true;
    if (tag.key == "span.kind" && tag.value.is_string()) span.kind = tag.value.get<std::string>();
  }

  for (const json& log : ArrayField(item, "logs", where)) {
    if (!log.is_object()) throw BadField{where + " has a log that is not an object"};
    Event event;
    event.timestamp_us = IntegerField(log, "timestamp", where + " log");
    for (Attribute& field : ParseKeyValues(ArrayField(log, "fields", where), where + " log fields")) {
      if (field.key == "event" && event.name.empty() && field.value.is_string()) {
        event.name = field.value.get<std::string>();
      } else {
        event.attributes.push_back(std::move(field));
      }
    }
    if (event.name.empty()) event.name = "log";
    span.events.push_back(std::move(event));
  }
  std::stable_sort(span.events.begin(), span.events.end(),
                   [](const Event& a, const Event& b) { return a.timestamp_us < b.timestamp_us; });

  for (const json& warning : ArrayField(item, "warnings", where)) {
    if (warning.is_string()) span.warnings.push_back(warning.get<std::string>());
  }
  return span;
}

}  // namespace

const Attribute* Span::Tag(std::string_view key) const noexcept {
  for (const Attribute& tag : tags) {
    if (tag.key == key) return &tag;
  }
  return nullptr;
}

std::size_t Trace::ServiceCount() const {
  std::set<std::string_view> services;
  for (const Span& span : spans) services.insert(span.service);
  return services.size();
}

std::size_t Trace::ErrorCount() const {
  return static_cast<std::size_t>(
      std::count_if(spans.begin(), spans.end(), [](const Span& span) { return span.error; }));
}

void BuildTree(Trace& trace) {
  auto& spans = trace.spans;
  trace.roots.clear();
  trace.tree_order.clear();
  trace.root = kNoSpan;
  if (spans.empty()) {
    trace.start_us = trace.end_us = 0;
    return;
  }
  auto earlier = [&spans](std::size_t a, std::size_t b) {
    if (spans[a].start_us != spans[b].start_us) return spans[a].start_us < spans[b].start_us;
    return a < b;
  };

  // A duplicated span id (a span reported twice) keeps its first occurrence as the parent.
  std::unordered_map<std::string_view, std::size_t> by_id;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    spans[i].parent = kNoSpan;
    spans[i].children.clear();
    by_id.emplace(spans[i].span_id, i);
  }
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].parent_span_id.empty()) continue;
    const auto found = by_id.find(spans[i].parent_span_id);
    if (found == by_id.end() || found->second == i) continue;
    spans[i].parent = found->second;
    spans[found->second].children.push_back(i);
  }
  for (Span& span : spans) std::sort(span.children.begin(), span.children.end(), earlier);

  std::vector<std::size_t> true_roots;
  std::vector<std::size_t> orphans;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].parent != kNoSpan) continue;
    (spans[i].parent_span_id.empty() ? true_roots : orphans).push_back(i);
  }
  std::sort(true_roots.begin(), true_roots.end(), earlier);
  std::sort(orphans.begin(), orphans.end(), earlier);

  std::vector<bool> visited(spans.size(), false);
  auto walk = [&](std::size_t root) {
    std::vector<std::pair<std::size_t, int>> stack{{root, 0}};
    while (!stack.empty()) {
      const auto [index, depth] = stack.back();
      stack.pop_back();
      visited[index] = true;
      spans[index].depth = depth;
      trace.tree_order.push_back(index);
      const auto& children = spans[index].children;
      for (auto child = children.rbegin(); child != children.rend(); ++child) {
        stack.emplace_back(*child, depth + 1);
      }
    }
  };
  for (std::size_t root : true_roots) {
    trace.roots.push_back(root);
    walk(root);
  }
  for (std::size_t root : orphans) {
    trace.roots.push_back(root);
    walk(root);
  }
  // What is left hangs in a reference cycle: cut each cycle at its earliest span, which then
  // shows as a root (with its parent reference, like an orphan).
  std::vector<std::size_t> left;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (!visited[i]) left.push_back(i);
  }
  std::sort(left.begin(), left.end(), earlier);
  for (std::size_t index : left) {
    if (visited[index]) continue;
    auto& siblings = spans[spans[index].parent].children;
    siblings.erase(std::remove(siblings.begin(), siblings.end(), index), siblings.end());
    spans[index].parent = kNoSpan;
    trace.roots.push_back(index);
    walk(index);
  }

  // The root the trace is about: the earliest true root (the longest on a tie), else the
  // earliest of the rest.
  if (!true_roots.empty()) {
    trace.root = true_roots.front();
    for (std::size_t candidate : true_roots) {
      if (spans[candidate].start_us == spans[trace.root].start_us &&
          spans[candidate].duration_us > spans[trace.root].duration_us) {
        trace.root = candidate;
      }
    }
  } else {
    trace.root = trace.roots.front();
  }

  trace.start_us = spans.front().start_us;
  trace.end_us = spans.front().end_us();
  for (const Span& span : spans) {
    trace.start_us = std::min(trace.start_us, span.start_us);
    trace.end_us = std::max(trace.end_us, span.end_us());
  }
}

std::variant<Trace, ParseError> ParseJaegerTrace(const json& item) {
  try {
    if (!item.is_object()) return ParseError{"a trace is not a JSON object"};
    Trace trace;
    trace.trace_id = StringField(item, "traceID", "the trace");
    static const json kNoProcesses = json::object();
    const auto processes_field = item.find("processes");
    const json& processes = processes_field != item.end() && processes_field->is_object()
                                ? *processes_field
                                : kNoProcesses;
    for (const json& span : ArrayField(item, "spans", "trace " + trace.trace_id)) {
      trace.spans.push_back(ParseSpan(span, trace.trace_id, processes));
    }
    BuildTree(trace);
    return trace;
  } catch (const BadField& error) {
    return ParseError{error.message};
  } catch (const json::exception& error) {
    return ParseError{error.what()};
  }
}

std::variant<std::vector<Trace>, ParseError> ParseJaegerAnswer(const json& answer) {
  if (!answer.is_object()) return ParseError{"the answer is not a JSON object"};
  const auto data = answer.find("data");
  if (data == answer.end() || data->is_null()) return std::vector<Trace>{};
  if (!data->is_array()) return ParseError{"\"data\" is not an array"};
  std::vector<Trace> traces;
  for (const json& item : *data) {
    auto parsed = ParseJaegerTrace(item);
    if (auto* error = std::get_if<ParseError>(&parsed)) return std::move(*error);
    Trace& trace = std::get<Trace>(parsed);
    if (!trace.spans.empty()) traces.push_back(std::move(trace));
  }
  return traces;
}

std::string DisplayValue(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace hotorder::investigate
