// Python's str semantics on UTF-8 bytes, for the native fast paths.
//
// Contract: the input is valid UTF-8 (the text reader validated it; a line
// frame never holds anything else). Whitespace is exactly what Python's
// str.isspace() accepts — U+0009..U+000D, U+001C..U+001F, U+0020, U+0085,
// U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 —
// so SplitWhitespace gives the words str.split() gives, in order, and
// CodePoints gives len() of the str.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ember::fast {

// SpaceAt for a byte s[i] >= 0x80 (a multi-byte character's first byte).
size_t MultiByteSpaceAt(std::string_view s, size_t i);

// Per byte: 0 never starts whitespace, 1 is ASCII whitespace, 2 may start
// a multi-byte one (0xC2, 0xE1, 0xE2, 0xE3).
extern const std::array<unsigned char, 256> kSpaceClass;

// Bytes of the whitespace character starting at s[i] (1 to 3), or 0 when
// s[i] does not start one.
inline size_t SpaceAt(std::string_view s, size_t i) {
  unsigned char c = kSpaceClass[static_cast<unsigned char>(s[i])];
  return c < 2 ? c : MultiByteSpaceAt(s, i);
}

// Calls word(std::string_view) for each word of str.split() with no
// arguments: maximal runs of non-whitespace.
template <typename F>
void SplitWhitespace(std::string_view s, F&& word) {
  const size_t n = s.size();
  size_t i = 0;
  while (true) {
    size_t space;
    while (i < n && (space = SpaceAt(s, i)) != 0) i += space;
    if (i == n) return;
    size_t start = i++;
    while (i < n && (kSpaceClass[static_cast<unsigned char>(s[i])] == 0 || SpaceAt(s, i) == 0)) ++i;
    word(s.substr(start, i - start));
  }
}

// len() of the str whose UTF-8 bytes are s.
int64_t CodePoints(std::string_view s);

}  // namespace ember::fast
