// Python's str semantics on UTF-8 bytes, for the native fast paths.
//
// Contract: the input is valid UTF-8 (the text reader validated it; a line
// frame never holds anything else). Whitespace is exactly what Python's
// str.isspace() accepts — U+0009..U+000D, U+001C..U+001F, U+0020, U+0085,
// U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 —
// so SplitWhitespace gives the words str.split() gives, in order, and
// CodePoints gives len() of the str.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ember::fast {

// SpaceAt for a byte s[i] >= 0x80 (a multi-byte character's first byte).
size_t MultiByteSpaceAt(std::string_view s, size_t i);

// Bytes of the whitespace character starting at s[i] (1 to 3), or 0 when
// s[i] does not start one.
inline size_t SpaceAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20);
  return MultiByteSpaceAt(s, i);
}

// Calls word(std::string_view) for each word of str.split() with no
// arguments: maximal runs of non-whitespace.
template <typename F>
void SplitWhitespace(std::string_view s, F&& word) {
  size_t i = 0, n = s.size(), start = 0;
  bool in_word = false;
  while (i < n) {
    size_t space = SpaceAt(s, i);
    if (space) {
      if (in_word) word(s.substr(start, i - start));
      in_word = false;
      i += space;
    } else {
      if (!in_word) start = i;
      in_word = true;
      ++i;
    }
  }
  if (in_word) word(s.substr(start));
}

// len() of the str whose UTF-8 bytes are s.
int64_t CodePoints(std::string_view s);

}  // namespace ember::fast
