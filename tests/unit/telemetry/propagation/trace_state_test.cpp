// TraceState against the W3C Trace Context `tracestate` grammar (current text: one key rule
// with '@' allowed after the first character) and the W3C test suite's tracestate cases.

#include <gtest/gtest.h>

#include <string>

#include "telemetry/trace_state.hpp"

namespace hotorder::telemetry {
namespace {

std::string Members(int count, int first = 1) {
  std::string header;
  for (int i = first; i < first + count; ++i) {
    if (!header.empty()) header += ',';
    header += "k" + std::to_string(i) + "=" + std::to_string(i);
  }
  return header;
}

TEST(TraceState, ParsesMembersInOrder) {
  const TraceState state = TraceState::FromHeader("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_EQ(state.entries().size(), 2u);
  EXPECT_EQ(state.entries()[0].first, "rojo");
  EXPECT_EQ(state.entries()[1].first, "congo");
  EXPECT_EQ(state.Get("rojo"), "00f067aa0ba902b7");
  EXPECT_EQ(state.Get("congo"), "t61rcWkgMzE");
  EXPECT_FALSE(state.Get("missing").has_value());
  EXPECT_EQ(state.ToHeader(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(TraceState, IgnoresOwsAroundMembers) {
  for (const char* header : {"foo=1 \t , \t bar=2, \t baz=3", "foo=1\t \t,\t \tbar=2,\t \tbaz=3"}) {
    const TraceState state = TraceState::FromHeader(header);
    EXPECT_EQ(state.ToHeader(), "foo=1,bar=2,baz=3") << header;
  }
  for (const char* header : {" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t"}) {
    EXPECT_EQ(TraceState::FromHeader(header).Get("foo"), "1") << "[" << header << "]";
  }
}

TEST(TraceState, KeepsLeadingSpacesOfValue) {
  // W3C "Value": leading spaces are part of the value, trailing ones are OWS.
  const TraceState state = TraceState::FromHeader("foo=  a b  ");
  EXPECT_EQ(state.Get("foo"), "  a b");
}

TEST(TraceState, AllowsEmptyAndWhitespaceOnlyMembers) {
  EXPECT_EQ(TraceState::FromHeader(",,foo=1,, \t ,bar=2,").ToHeader(), "foo=1,bar=2");
  EXPECT_TRUE(TraceState::FromHeader("").empty());
  EXPECT_TRUE(TraceState::FromHeader(" , ,\t").empty());
}

TEST(TraceState, Accepts32MembersAndDiscardsAListOf33) {
  const TraceState full = TraceState::FromHeader(Members(32));
  EXPECT_EQ(full.entries().size(), 32u);
  EXPECT_EQ(full.Get("k1"), "1");
  EXPECT_EQ(full.Get("k32"), "32");
  EXPECT_TRUE(TraceState::FromHeader(Members(33)).empty());
}

TEST(TraceState, EmptyMembersDoNotCountTowardsTheLimit) {
  EXPECT_EQ(TraceState::FromHeader(",," + Members(32) + ",, ,").entries().size(), 32u);
}

TEST(TraceState, AnInvalidMemberDiscardsTheWholeList) {
  const char* headers[] = {
      "foo =1,bar=2",      // OWS between key and '=' is not allowed
      "FOO=1,bar=2",       // uppercase key
      "foo.bar=1,bar=2",   // '.' is not a key character
      "@foo=1,bar=2",      // key must start with lcalpha or a digit
      "_foo=1,bar=2",      //
      "=1,bar=2",          // empty key
      "foo,bar=2",         // no '='
      "foo=bar=baz",       // '=' in a value
      "foo=,bar=3",        // empty value
      "foo=a\tb,bar=2",    // tab inside a value
      "foo=\x7f,bar=2",    // DEL is not printable
      "foo=caf\xc3\xa9,bar=2",  // non-ASCII value
  };
  for (const char* header : headers) {
    EXPECT_TRUE(TraceState::FromHeader(header).empty()) << header;
  }
}

TEST(TraceState, KeyLengthLimitIs256) {
  const std::string key256(256, 'z');
  const TraceState ok = TraceState::FromHeader("foo=1," + key256 + "=1");
  EXPECT_EQ(ok.Get(key256), "1");
  EXPECT_EQ(ok.Get("foo"), "1");
  EXPECT_TRUE(TraceState::FromHeader("foo=1," + std::string(257, 'z') + "=1").empty());
}

TEST(TraceState, KeysWithAtSignsFollowTheCurrentGrammar) {
  // W3C test suite, test_tracestate_key_illegal_vendor_format and _key_length_limit.
  const std::string valid[] = {
      "foo@",  "foo@@bar", "foo@bar@baz", "special@vendor", "fw529a3039@dt", "1special",
      std::string(241, 't') + "@" + std::string(14, 'v'),
      std::string(242, 't') + "@v",
      "t@" + std::string(15, 'v'),
  };
  for (const std::string& key : valid) {
    EXPECT_TRUE(TraceState::IsValidKey(key)) << key;
    const TraceState state = TraceState::FromHeader(key + "=1,bar=2");
    EXPECT_EQ(state.Get(key), "1") << key;
    EXPECT_EQ(state.Get("bar"), "2") << key;
  }
  EXPECT_FALSE(TraceState::IsValidKey("@vendor"));
  EXPECT_TRUE(TraceState::FromHeader("@foo=1,bar=2").empty());
}

TEST(TraceState, KeyCharacterSet) {
  const std::string all = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
  EXPECT_TRUE(TraceState::IsValidKey(all));
  EXPECT_TRUE(TraceState::IsValidKey(all + "@a-z0-9_-*/"));
  EXPECT_TRUE(TraceState::IsValidKey("0"));
  EXPECT_TRUE(TraceState::IsValidKey("a"));
  for (const char* key : {"", "Foo", "fOo", "foo bar", "foo.bar", "foo=", "foo,", "*foo", "/foo",
                          "-foo", "f\xc3\xa9"}) {
    EXPECT_FALSE(TraceState::IsValidKey(key)) << key;
  }
}

TEST(TraceState, ValueCharacterSetAndLength) {
  std::string all;
  for (char c = 0x20; c <= 0x7E; ++c) {
    if (c != ',' && c != '=') all += c;
  }
  EXPECT_TRUE(TraceState::IsValidValue(all));
  EXPECT_EQ(TraceState::FromHeader("foo=" + all).Get("foo"), all);
  EXPECT_TRUE(TraceState::IsValidValue(std::string(256, 'v')));
  EXPECT_FALSE(TraceState::IsValidValue(std::string(257, 'v')));
  EXPECT_TRUE(TraceState::FromHeader("foo=" + std::string(257, 'v')).empty());
  EXPECT_TRUE(TraceState::IsValidValue(" leading"));
  for (const char* value : {"", "trailing ", "a,b", "a=b", "a\tb", "\x7f", "a\nb"}) {
    EXPECT_FALSE(TraceState::IsValidValue(value)) << "[" << value << "]";
  }
}

TEST(TraceState, RepeatedKeyKeepsTheLeftMostEntry) {
  // W3C test_tracestate_duplicated_keys: the list is kept and one of the duplicates may go.
  EXPECT_EQ(TraceState::FromHeader("foo=1,foo=1").ToHeader(), "foo=1");
  EXPECT_EQ(TraceState::FromHeader("foo=1,bar=2,foo=3").ToHeader(), "foo=1,bar=2");
}

TEST(TraceState, SetAddsNewKeyAtTheFront) {
  const TraceState state = TraceState::FromHeader("congo=t61rcWkgMzE");
  const TraceState updated = state.Set("rojo", "00f067aa0ba902b7");
  EXPECT_EQ(updated.ToHeader(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(state.ToHeader(), "congo=t61rcWkgMzE");  // immutable
}

TEST(TraceState, SetMovesAnUpdatedKeyToTheFront) {
  const TraceState state = TraceState::FromHeader("rojo=1,congo=2,other=3");
  EXPECT_EQ(state.Set("congo", "9").ToHeader(), "congo=9,rojo=1,other=3");
}

TEST(TraceState, SetWithInvalidKeyOrValueLeavesStateUnchanged) {
  const TraceState state = TraceState::FromHeader("rojo=1");
  EXPECT_EQ(state.Set("Bad", "1"), state);
  EXPECT_EQ(state.Set("good", "a,b"), state);
  EXPECT_EQ(state.Set("good", ""), state);
  EXPECT_EQ(state.Set("good", "x "), state);
}

TEST(TraceState, SetOnAFullListDropsTheRightMostMember) {
  const TraceState full = TraceState::FromHeader(Members(32));
  const TraceState added = full.Set("new", "v");
  ASSERT_EQ(added.entries().size(), 32u);
  EXPECT_EQ(added.entries().front().first, "new");
  EXPECT_EQ(added.Get("k31"), "31");
  EXPECT_FALSE(added.Get("k32").has_value());

  // Updating a key already present needs no room: nothing is dropped.
  const TraceState updated = full.Set("k32", "x");
  ASSERT_EQ(updated.entries().size(), 32u);
  EXPECT_EQ(updated.entries().front().first, "k32");
  EXPECT_EQ(updated.Get("k31"), "31");
}

TEST(TraceState, DeleteRemovesOnlyThatKey) {
  const TraceState state = TraceState::FromHeader("a=1,b=2,c=3");
  EXPECT_EQ(state.Delete("b").ToHeader(), "a=1,c=3");
  EXPECT_EQ(state.Delete("missing"), state);
  EXPECT_EQ(state.ToHeader(), "a=1,b=2,c=3");
}

TEST(TraceState, FromHeaderIsNoexcept) {
  static_assert(noexcept(TraceState::FromHeader(std::string_view())));
  static_assert(noexcept(TraceState::IsValidKey(std::string_view())));
}

}  // namespace
}  // namespace hotorder::telemetry
