#include "db/connection_url.hpp"

#include <algorithm>
#include <charconv>

namespace hotorder::db {
namespace {

bool IsUri(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// The first entry of a comma-separated multi-host list.
std::string_view First(std::string_view list) { return list.substr(0, list.find(',')); }

void ApplyPort(std::string_view text, ConnectionFacts& facts) {
  text = First(text);
  int port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error == std::errc() && end == text.data() + text.size() && port > 0 && port <= 65535) {
    facts.port = port;
  }
}

// host[:port] or [v6addr][:port] of a URI's authority.
void ApplyHostPort(std::string_view host_port, ConnectionFacts& facts) {
  host_port = First(host_port);
  std::string_view host = host_port;
  std::string_view port;
  if (host_port.starts_with('[')) {
    const auto close = host_port.find(']');
    if (close == std::string_view::npos) return;
    host = host_port.substr(1, close - 1);
    if (close + 1 < host_port.size() && host_port[close + 1] == ':') {
      port = host_port.substr(close + 2);
    }
  } else if (const auto colon = host_port.rfind(':'); colon != std::string_view::npos) {
    host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
  }
  if (!host.empty()) facts.host = PercentDecode(host);
  if (!port.empty()) ApplyPort(port, facts);
}

void ApplyKeyword(const std::string& key, const std::string& value, ConnectionFacts& facts) {
  if (key == "host" || (key == "hostaddr" && facts.host == "localhost")) {
    if (!value.empty()) facts.host = std::string(First(value));
  } else if (key == "port") {
    ApplyPort(value, facts);
  } else if (key == "dbname") {
    facts.database = value;
  } else if (key == "user") {
    facts.user = value;
  }
}

void ParseUri(std::string_view url, ConnectionFacts& facts) {
  url.remove_prefix(url.find("://") + 3);
  std::string_view query;
  if (const auto mark = url.find('?'); mark != std::string_view::npos) {
    query = url.substr(mark + 1);
    url = url.substr(0, mark);
  }
  std::string_view path;
  if (const auto slash = url.find('/'); slash != std::string_view::npos) {
    path = url.substr(slash + 1);
    url = url.substr(0, slash);
  }
  if (const auto at = url.rfind('@'); at != std::string_view::npos) {
    const std::string_view user_info = url.substr(0, at);
    facts.user = PercentDecode(user_info.substr(0, user_info.find(':')));
    url = url.substr(at + 1);
  }
  ApplyHostPort(url, facts);
  if (!path.empty()) facts.database = PercentDecode(path);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    ApplyKeyword(PercentDecode(pair.substr(0, eq)), PercentDecode(pair.substr(eq + 1)), facts);
  }
}

// key = value pairs separated by whitespace; a value may be 'single quoted' with \' and \\.
void ParseKeywords(std::string_view text, ConnectionFacts& facts) {
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
  };
  while (true) {
    skip_space();
    if (i >= text.size()) return;
    std::string key;
    while (i < text.size() && text[i] != '=' && text[i] != ' ' && text[i] != '\t') key += text[i++];
    skip_space();
    if (i >= text.size() || text[i] != '=') return;  // malformed: libpq will say so on connect
    ++i;
    skip_space();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      while (i < text.size() && text[i] != '\'') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i++];
      }
      ++i;
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i++];
      }
    }
    ApplyKeyword(key, value, facts);
  }
}

}  // namespace

ConnectionFacts ParseConnectionFacts(std::string_view url) {
  ConnectionFacts facts;
  if (IsUri(url)) {
    ParseUri(url, facts);
  } else {
    ParseKeywords(url, facts);
  }
  if (facts.database.empty()) facts.database = facts.user;
  return facts;
}

std::string WithConnectTimeout(std::string_view url, std::chrono::milliseconds timeout) {
  const long long seconds = std::max<long long>(1, (timeout.count() + 999) / 1000);
  std::string out(url);
  if (IsUri(url)) {
    out += url.find('?') == std::string_view::npos ? '?' : '&';
  } else if (!out.empty()) {
    out += ' ';
  }
  out += "connect_timeout=" + std::to_string(seconds);
  return out;
}

}  // namespace hotorder::db
