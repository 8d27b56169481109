#include "telemetry/json_string.hpp"

#include "telemetry/utf8.hpp"

namespace hotorder::telemetry {

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t run = 0;  // start of bytes that need no escaping, copied in one append
  std::size_t i = 0;
  auto flush = [&] {
    if (i > run) out.append(s.data() + run, i - run);
  };
  while (i < n) {
    const unsigned char c = p[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t bad = 0;
      const std::size_t len = Utf8SequenceLength(p + i, n - i, &bad);
      if (len != 0) {
        i += len;
        continue;
      }
      flush();
      out.append(kReplacementCharacter);
      i += bad;
      run = i;
      continue;
    }
    flush();
    // RFC 8259 section 7: quote, backslash and U+0000..U+001F must be escaped.
    switch (c) {
      case '"':
        out.append("\\\"", 2);
        break;
      case '\\':
        out.append("\\\\", 2);
        break;
      case '\b':
        out.append("\\b", 2);
        break;
      case '\f':
        out.append("\\f", 2);
        break;
      case '\n':
        out.append("\\n", 2);
        break;
      case '\r':
        out.append("\\r", 2);
        break;
      case '\t':
        out.append("\\t", 2);
        break;
      default: {
        const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0x0F]};
        out.append(escaped, sizeof escaped);
      }
    }
    ++i;
    run = i;
  }
  flush();
  out.push_back('"');
}

}  // namespace hotorder::telemetry
