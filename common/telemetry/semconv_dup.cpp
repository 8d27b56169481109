#include "telemetry/semconv_dup.hpp"

#include <array>
#include <string>

namespace hotorder::telemetry {
namespace {

struct Rename {
  std::string_view stable;
  std::string_view old;
};

// HTTP, on servers and clients alike.
constexpr std::array<Rename, 5> kHttpCommon = {{
    {"http.response.status_code", "http.status_code"},
    {"user_agent.original", "http.user_agent"},
    {"network.protocol.version", "net.protocol.version"},
    {"http.request.body.size", "http.request_content_length"},
    {"http.request.resend_count", "http.resend_count"},
}};
constexpr std::array<Rename, 5> kHttpServer = {{
    {"url.scheme", "http.scheme"},
    {"server.address", "net.host.name"},
    {"server.port", "net.host.port"},
    {"client.address", "http.client_ip"},
    {"client.port", "net.sock.peer.port"},
}};
// Database calls and HTTP calls alike name their peer net.peer.*.
constexpr std::array<Rename, 3> kHttpClient = {{
    {"url.full", "http.url"},
    {"server.address", "net.peer.name"},
    {"server.port", "net.peer.port"},
}};
constexpr std::array<Rename, 7> kDatabase = {{
    {"db.system.name", "db.system"},
    {"db.namespace", "db.name"},
    {"db.query.text", "db.statement"},
    {"db.operation.name", "db.operation"},
    {"db.collection.name", "db.sql.table"},
    {"server.address", "net.peer.name"},
    {"server.port", "net.peer.port"},
}};

class OldNames {
 public:
  OldNames(SpanData& span, const AttributeLimits& limits) : span_(span), limits_(limits) {}

  void Add(std::string_view old, const AttributeValue& value) {
    if (FindAttribute(span_.attributes, old) != nullptr) return;
    AttributeValue copy = value;
    SetAttribute(span_.attributes, old, std::move(copy), limits_, span_.dropped_attributes_count);
  }

  template <std::size_t N>
  void AddAll(const std::array<Rename, N>& renames) {
    for (const auto& rename : renames) {
      // Copied first: adding may grow the list and move the value found.
      if (const auto* value = FindAttribute(span_.attributes, rename.stable)) {
        const AttributeValue found = *value;
        Add(rename.old, found);
      }
    }
  }

  const std::string* String(std::string_view key) const {
    const auto* value = FindAttribute(span_.attributes, key);
    return value != nullptr ? std::get_if<std::string>(&value->variant()) : nullptr;
  }

 private:
  SpanData& span_;
  const AttributeLimits& limits_;
};

void AddOldHttpNames(SpanData& span, OldNames& names) {
  // http.method held the method as sent; the stable name says "_OTHER" for unknown ones.
  const auto* method = names.String("http.request.method");
  const auto* original = names.String("http.request.method_original");
  names.Add("http.method", original != nullptr ? *original : *method);
  names.AddAll(kHttpCommon);
  if (span.kind == SpanKind::kServer) {
    names.AddAll(kHttpServer);
    if (const auto* path = names.String("url.path")) {
      const auto* query = names.String("url.query");
      names.Add("http.target", query != nullptr ? *path + "?" + *query : *path);
    }
  } else if (span.kind == SpanKind::kClient) {
    names.AddAll(kHttpClient);
  }
}

}  // namespace

SemconvOptIn ParseSemconvOptIn(std::string_view value) noexcept {
  SemconvOptIn opt_in;
  while (!value.empty()) {
    const auto comma = value.find(',');
    auto entry = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (entry == "http/dup") opt_in.http_dup = true;
    if (entry == "database/dup") opt_in.database_dup = true;
  }
  return opt_in;
}

std::string SemconvOptInName(const SemconvOptIn& opt_in) {
  std::string name;
  if (opt_in.http_dup) name = "http/dup";
  if (opt_in.database_dup) name += name.empty() ? "database/dup" : ",database/dup";
  return name;
}

void AddOldSemconvNames(SpanData& span, const SemconvOptIn& opt_in, const AttributeLimits& limits) {
  OldNames names(span, limits);
  if (opt_in.http_dup && names.String("http.request.method") != nullptr) {
    AddOldHttpNames(span, names);
  }
  if (opt_in.database_dup && names.String("db.system.name") != nullptr) {
    names.AddAll(kDatabase);
  }
}

}  // namespace hotorder::telemetry
