#include "tools/investigate/jaeger_client.hpp"

#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace hotorder::investigate {
namespace {

using nlohmann::json;

// Jaeger's error answers are {"data":null,"errors":[{"code":400,"msg":"..."}]}.
std::string JaegerErrorMessage(const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    const auto errors = parsed.find("errors");
    if (errors != parsed.end() && errors->is_array() && !errors->empty() &&
        errors->front().is_object()) {
      const json& message = errors->front().value("msg", json());
      if (message.is_string()) return message.get<std::string>();
    }
  }
  std::string text = body.substr(0, 200);
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

}  // namespace

std::string SearchTarget(const SearchQuery& query, std::int64_t now_us) {
  std::string target = "/api/traces?service=" + UrlEncode(query.service);
  if (!query.operation.empty()) target += "&operation=" + UrlEncode(query.operation);
  if (query.min_duration) target += "&minDuration=" + GoDuration(*query.min_duration);
  if (query.max_duration) target += "&maxDuration=" + GoDuration(*query.max_duration);
  target += "&start=" + std::to_string(now_us - query.lookback.count());
  target += "&end=" + std::to_string(now_us);
  target += "&limit=" + std::to_string(query.limit);
  return target;
}

std::string JaegerClient::Problem(const HttpResult& result) const {
  switch (result.outcome) {
    case HttpResult::Outcome::kUnreachable:
      return "cannot reach Jaeger at " + base_.text + " (" + result.error +
             "); is it running? try ./hotorder status";
    case HttpResult::Outcome::kTimeout:
      return "Jaeger at " + base_.text + " did not answer (" + result.error +
             "); is it overloaded? try a longer --timeout";
    case HttpResult::Outcome::kBadResponse:
      return "bad answer from Jaeger at " + base_.text + ": " + result.error;
    case HttpResult::Outcome::kOk:
      break;
  }
  std::string line = "Jaeger at " + base_.text + " answered HTTP " +
                     std::to_string(result.status);
  const std::string message = JaegerErrorMessage(result.body);
  if (!message.empty()) line += ": " + message;
  return line;
}

std::optional<std::vector<Trace>> JaegerClient::TracesIn(const HttpResult& result,
                                                         std::string& error) const {
  const json body = json::parse(result.body, nullptr, false);
  if (body.is_discarded()) {
    error = "bad answer from Jaeger at " + base_.text + ": not JSON";
    return std::nullopt;
  }
  auto parsed = ParseJaegerAnswer(body);
  if (auto* problem = std::get_if<ParseError>(&parsed)) {
    error = "bad answer from Jaeger at " + base_.text + ": " + problem->message;
    return std::nullopt;
  }
  return std::move(std::get<std::vector<Trace>>(parsed));
}

TraceAnswer JaegerClient::GetTrace(std::string_view trace_id) const {
  TraceAnswer answer;
  const HttpResult result = HttpGet(base_, "/api/traces/" + UrlEncode(trace_id), timeout_);
  if (result.outcome == HttpResult::Outcome::kOk && result.status == 404) {
    answer.status = TraceAnswer::Status::kNotFound;
    return answer;
  }
  if (result.outcome != HttpResult::Outcome::kOk || result.status / 100 != 2) {
    answer.error = Problem(result);
    return answer;
  }
  auto traces = TracesIn(result, answer.error);
  if (!traces) return answer;
  if (traces->empty()) {
    answer.status = TraceAnswer::Status::kNotFound;
    return answer;
  }
  answer.status = TraceAnswer::Status::kFound;
  answer.trace = std::move(traces->front());
  return answer;
}

SearchAnswer JaegerClient::Search(const SearchQuery& query, std::int64_t now_us) const {
  SearchAnswer answer;
  const HttpResult result = HttpGet(base_, SearchTarget(query, now_us), timeout_);
  if (result.outcome != HttpResult::Outcome::kOk || result.status / 100 != 2) {
    answer.error = Problem(result);
    return answer;
  }
  auto traces = TracesIn(result, answer.error);
  if (!traces) return answer;
  answer.ok = true;
  answer.traces = std::move(*traces);
  return answer;
}

}  // namespace hotorder::investigate
