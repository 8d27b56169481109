#include "telemetry/otlp/otlp_exporter_options.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace hotorder::telemetry::otlp {
namespace {

constexpr std::string_view kEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
constexpr std::string_view kTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
constexpr std::string_view kHeaders = "OTEL_EXPORTER_OTLP_HEADERS";
constexpr std::string_view kTracesHeaders = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
constexpr std::string_view kTimeout = "OTEL_EXPORTER_OTLP_TIMEOUT";
constexpr std::string_view kTracesTimeout = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
constexpr std::string_view kCompression = "OTEL_EXPORTER_OTLP_COMPRESSION";
constexpr std::string_view kTracesCompression = "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION";
constexpr std::string_view kProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
constexpr std::string_view kTracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";

// Relative to the base URL (spec: "Endpoint URLs for OTLP/HTTP").
constexpr std::string_view kTracesPath = "v1/traces";

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return Lower(x) == Lower(y); });
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Quote(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + std::string(value) + "\"";
}

// RFC 9110 5.6.2 tchar: what a header name may be made of.
bool IsTchar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Characters a request line tolerates in a target: visible ASCII (RFC 9112 3.2; anything else
// would have had to be percent-encoded in the URL already).
bool IsTargetChar(char c) { return c > 0x20 && c < 0x7f; }

// RFC 3986 reg-name and IP-literal characters (percent escapes kept verbatim).
bool IsHostChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
  return std::string_view("-._~%!$&'()*+,;=:").find(c) != std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The URL split at RFC 3986's delimiters; `path_end` is where the path stops, so a base URL
// can have "v1/traces" inserted before its query.
struct UrlParts {
  std::string_view scheme, authority, path, query;
  std::size_t path_end = 0;
};

std::optional<UrlParts> SplitUrl(std::string_view url, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<UrlParts> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return fail("it is not an absolute URL (scheme://host...)");
  UrlParts parts;
  parts.scheme = url.substr(0, colon);
  if (IEquals(parts.scheme, "https")) {
    return fail("https is not supported: this SDK has no TLS, use an http:// collector endpoint");
  }
  if (!IEquals(parts.scheme, "http")) return fail("only the http scheme is supported");
  std::size_t authority_begin = colon + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  parts.authority = url.substr(authority_begin, authority_end - authority_begin);
  std::size_t path_end = url.find_first_of("?#", authority_end);
  if (path_end == std::string_view::npos) path_end = url.size();
  parts.path = url.substr(authority_end, path_end - authority_end);
  parts.path_end = path_end;
  if (path_end < url.size() && url[path_end] == '?') {
    std::size_t query_end = url.find('#', path_end);
    if (query_end == std::string_view::npos) query_end = url.size();
    parts.query = url.substr(path_end, query_end - path_end);  // with its '?'
  }
  return parts;
}

std::optional<std::chrono::milliseconds> ParseTimeout(std::string_view name, std::string_view raw,
                                                      const config::EnvReader& env) {
  std::int64_t ms = 0;
  const char* end = raw.data() + raw.size();
  auto [ptr, ec] = std::from_chars(raw.data(), end, ms);
  if (ec != std::errc{} || ptr != end || ms < 0) {
    env.Warn(Quote(name, raw) + " is not a non-negative integer number of milliseconds; ignoring it");
    return std::nullopt;
  }
  if (ms == 0 || ms > kNoTimeout.count()) return kNoTimeout;  // spec: 0 means no limit
  return std::chrono::milliseconds(ms);
}

std::optional<Compression> ParseCompression(std::string_view name, std::string_view raw,
                                            const config::EnvReader& env) {
  if (IEquals(raw, "gzip")) return Compression::kGzip;
  if (IEquals(raw, "none")) return Compression::kNone;
  env.Warn(Quote(name, raw) + " is not a supported compression (gzip, none); ignoring it");
  return std::nullopt;
}

std::optional<Protocol> ParseProtocol(std::string_view name, std::string_view raw,
                                      const config::EnvReader& env) {
  if (IEquals(raw, "http/protobuf")) return Protocol::kHttpProtobuf;
  if (IEquals(raw, "http/json")) return Protocol::kHttpJson;
  if (IEquals(raw, "grpc")) {
    env.Warn(Quote(name, raw) +
             ": this SDK exports over OTLP/HTTP only (http/protobuf, http/json); ignoring it");
  } else {
    env.Warn(Quote(name, raw) + " is not a known protocol (http/protobuf, http/json); ignoring it");
  }
  return std::nullopt;
}

// The spec's per-option rule: the signal-specific variable if it is set and valid, else the
// generic one if set and valid, else the default.
template <typename T, typename Parse>
T ReadOption(const config::EnvReader& env, std::string_view traces_name,
             std::string_view generic_name, T fallback, Parse parse) {
  for (std::string_view name : {traces_name, generic_name}) {
    auto raw = env.String(name);
    if (!raw) continue;
    if (auto value = parse(name, *raw, env)) return *value;
  }
  return fallback;
}

std::optional<std::string> TracesEndpointFromBase(std::string_view base, std::string* error) {
  if (!ParseHttpEndpoint(base, error)) return std::nullopt;
  auto parts = SplitUrl(base, error);
  std::string url(base.substr(0, parts->path_end));
  if (url.empty() || url.back() != '/') url += '/';
  url += kTracesPath;
  url += parts->query;
  return url;
}

}  // namespace

std::optional<HttpEndpoint> ParseHttpEndpoint(std::string_view url, std::string* error) noexcept {
  try {
    auto fail = [&](std::string why) -> std::optional<HttpEndpoint> {
      if (error) *error = std::move(why);
      return std::nullopt;
    };
    auto parts = SplitUrl(url, error);
    if (!parts) return std::nullopt;

    std::string_view authority = parts->authority;
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
      authority.remove_prefix(at + 1);  // userinfo: ignored (spec: MAY ignore other components)
    }
    std::string_view host;
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
      std::size_t close = authority.find(']');
      if (close == std::string_view::npos) return fail("its IPv6 host has no closing ']'");
      host = authority.substr(1, close - 1);
      std::string_view rest = authority.substr(close + 1);
      if (!rest.empty()) {
        if (rest.front() != ':') return fail("unexpected text after the IPv6 host");
        port_text = rest.substr(1);
      }
    } else {
      std::size_t colon = authority.rfind(':');
      host = authority.substr(0, colon);
      if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
      if (host.find(':') != std::string_view::npos) return fail("an IPv6 host needs [brackets]");
    }
    if (host.empty()) return fail("it has no host");
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) return fail("its host is malformed");

    HttpEndpoint endpoint;
    endpoint.host = std::string(host);
    // RFC 3986 3.2.3: an empty port means the scheme's default.
    if (!port_text.empty()) {
      unsigned port = 0;
      const char* end = port_text.data() + port_text.size();
      auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
      if (ec != std::errc{} || ptr != end || port == 0 || port > 65535) {
        return fail("its port is not a number in [1, 65535]");
      }
      endpoint.port = static_cast<std::uint16_t>(port);
    }
    std::string_view path = parts->path;
    if (!std::all_of(path.begin(), path.end(), IsTargetChar) ||
        !std::all_of(parts->query.begin(), parts->query.end(), IsTargetChar)) {
      return fail("its path or query has characters that must be percent-encoded");
    }
    // Spec: a URL without a path part is sent to the root path.
    endpoint.target = path.empty() ? "/" : std::string(path);
    endpoint.target += parts->query;
    bool ipv6 = host.find(':') != std::string_view::npos;
    endpoint.host_header = ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
    if (endpoint.port != 80) endpoint.host_header += ":" + std::to_string(endpoint.port);
    return endpoint;
  } catch (...) {
    if (error) error->clear();
    return std::nullopt;
  }
}

bool IsReservedOtlpHeader(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 6> kReserved = {
      "content-type", "content-length", "content-encoding", "transfer-encoding", "host",
      "connection"};
  return std::any_of(kReserved.begin(), kReserved.end(),
                     [&](std::string_view r) { return IEquals(name, r); });
}

std::vector<std::pair<std::string, std::string>> ParseOtlpHeaders(std::string_view list,
                                                                  std::string_view variable,
                                                                  const config::EnvReader& env) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t index = 0;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view member = TrimOws(list.substr(pos, comma - pos));
    pos = comma + 1;
    ++index;
    if (member.empty()) continue;

    // Values can be secrets (API keys): warnings name the member's position and key only.
    auto skip = [&](std::string_view key, std::string_view why) {
      std::string where = std::string(variable) + ": entry " + std::to_string(index);
      if (!key.empty()) where += " (\"" + std::string(key) + "\")";
      env.Warn(where + " " + std::string(why) + "; skipping it");
    };
    std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) {
      skip({}, "is not key=value");
      continue;
    }
    std::string_view key = TrimOws(member.substr(0, eq));
    std::string_view raw_value = TrimOws(member.substr(eq + 1));
    if (key.empty() || !std::all_of(key.begin(), key.end(), IsTchar)) {
      skip({}, "has an invalid header name");
      continue;
    }
    if (raw_value.find(';') != std::string_view::npos) {
      skip(key, "has ';' metadata, which OTLP headers do not support (percent-encode a literal ';')");
      continue;
    }
    std::string value;
    bool valid = true;
    for (std::size_t i = 0; i < raw_value.size() && valid; ++i) {
      if (raw_value[i] != '%') {
        value += raw_value[i];
        continue;
      }
      bool complete = i + 2 < raw_value.size();
      int hi = complete ? HexValue(raw_value[i + 1]) : -1;
      int lo = complete ? HexValue(raw_value[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        valid = false;
        break;
      }
      value += static_cast<char>((hi << 4) | lo);
      i += 2;
    }
    if (!valid) {
      skip(key, "has an invalid percent-escape");
      continue;
    }
    // RFC 9110 5.5: no control characters (but HTAB) in a field value; CR/LF would even let a
    // value inject headers of its own.
    if (std::any_of(value.begin(), value.end(), [](char c) {
          auto u = static_cast<unsigned char>(c);
          return (u < 0x20 && u != '\t') || u == 0x7f;
        })) {
      skip(key, "has a control character in its value");
      continue;
    }
    if (IsReservedOtlpHeader(key)) {
      skip(key, "is a header the exporter sets itself");
      continue;
    }
    headers.emplace_back(std::string(key), std::move(value));
  }
  return headers;
}

OtlpExporterOptions OtlpOptionsFromEnv(const config::EnvReader& env) {
  OtlpExporterOptions options;

  bool have_endpoint = false;
  if (auto traces = env.String(kTracesEndpoint)) {
    std::string why;
    if (ParseHttpEndpoint(*traces, &why)) {
      options.endpoint_url = *traces;  // spec: used as is
      have_endpoint = true;
    } else {
      env.Warn(Quote(kTracesEndpoint, *traces) + " is not usable: " + why + "; ignoring it");
    }
  }
  if (!have_endpoint) {
    if (auto base = env.String(kEndpoint)) {
      std::string why;
      if (auto url = TracesEndpointFromBase(*base, &why)) {
        options.endpoint_url = std::move(*url);
      } else {
        env.Warn(Quote(kEndpoint, *base) + " is not usable: " + why + "; ignoring it");
      }
    }
  }

  // The signal-specific list replaces the generic one as a whole, like every other option.
  if (auto traces = env.String(kTracesHeaders)) {
    options.headers = ParseOtlpHeaders(*traces, kTracesHeaders, env);
  } else if (auto generic = env.String(kHeaders)) {
    options.headers = ParseOtlpHeaders(*generic, kHeaders, env);
  }

  options.timeout = ReadOption(env, kTracesTimeout, kTimeout, options.timeout, ParseTimeout);
  options.compression =
      ReadOption(env, kTracesCompression, kCompression, options.compression, ParseCompression);
  options.protocol = ReadOption(env, kTracesProtocol, kProtocol, options.protocol, ParseProtocol);
  return options;
}

}  // namespace hotorder::telemetry::otlp
