#include "telemetry/otlp/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>

namespace hotorder::telemetry::otlp {
namespace {

// windowBits 16 + MAX_WBITS asks zlib for a gzip wrapper instead of a zlib one (zlib manual,
// deflateInit2/inflateInit2).
constexpr int kGzipWindowBits = 16 + MAX_WBITS;
constexpr int kMemLevel = 8;  // zlib's default
constexpr std::size_t kMaxChunk = std::numeric_limits<uInt>::max();
constexpr std::size_t kInflateStep = 64 * 1024;

// zlib counts in uInt; bigger inputs are fed in slices.
void Feed(z_stream& zs, std::string_view input, std::size_t& consumed) {
  if (zs.avail_in == 0 && consumed < input.size()) {
    std::size_t n = std::min(kMaxChunk, input.size() - consumed);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + consumed));
    zs.avail_in = static_cast<uInt>(n);
    consumed += n;
  }
}

}  // namespace

bool GzipCompress(std::string_view input, std::string& out) noexcept {
  out.clear();
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return false;
  }
  bool ok = true;
  try {
    // deflateBound includes the gzip header and trailer, so one pass usually suffices; the loop
    // still grows the buffer should a future zlib make the bound a hint only.
    std::size_t produced = 0;
    out.resize(deflateBound(&zs, static_cast<uLong>(std::min<std::size_t>(
                                     input.size(), std::numeric_limits<uLong>::max()))) +
               16);
    std::size_t consumed = 0;
    for (;;) {
      Feed(zs, input, consumed);
      if (produced == out.size()) out.resize(out.size() * 2);
      std::size_t room = std::min(kMaxChunk, out.size() - produced);
      zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
      zs.avail_out = static_cast<uInt>(room);
      int flush = (consumed == input.size() && zs.avail_in == 0) ? Z_FINISH : Z_NO_FLUSH;
      int rc = deflate(&zs, flush);
      produced += room - zs.avail_out;
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        ok = false;
        break;
      }
    }
    out.resize(ok ? produced : 0);
  } catch (const std::bad_alloc&) {
    ok = false;
    out.clear();
  }
  deflateEnd(&zs);
  return ok;
}

bool GzipDecompress(std::string_view input, std::string& out, std::size_t max_output) noexcept {
  out.clear();
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) return false;
  bool ok = false;
  try {
    // One byte of room beyond the limit tells "exactly max_output" from "more than that".
    const std::size_t room_limit =
        max_output == std::numeric_limits<std::size_t>::max() ? max_output : max_output + 1;
    std::size_t produced = 0;
    std::size_t consumed = 0;
    for (;;) {
      Feed(zs, input, consumed);
      if (produced > max_output) break;
      if (produced == out.size()) {
        if (produced >= room_limit) break;
        std::size_t step = std::max(kInflateStep, produced);
        out.resize(room_limit - produced < step ? room_limit : produced + step);
      }
      std::size_t room = std::min(kMaxChunk, out.size() - produced);
      zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
      zs.avail_out = static_cast<uInt>(room);
      int rc = inflate(&zs, Z_NO_FLUSH);
      produced += room - zs.avail_out;
      if (rc == Z_STREAM_END) {
        if (produced > max_output) break;
        Feed(zs, input, consumed);
        if (zs.avail_in == 0) {
          ok = true;
          break;
        }
        // RFC 1952 2.2: a gzip file is a series of members; decode the next one.
        if (inflateReset(&zs) != Z_OK) break;
        continue;
      }
      if (rc == Z_BUF_ERROR && zs.avail_in == 0 && consumed == input.size()) break;  // truncated
      if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    }
    out.resize(ok ? produced : 0);
  } catch (const std::bad_alloc&) {
    ok = false;
    out.clear();
  }
  inflateEnd(&zs);
  return ok;
}

}  // namespace hotorder::telemetry::otlp
