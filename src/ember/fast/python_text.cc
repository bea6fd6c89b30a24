#include "ember/fast/python_text.h"

#include <array>

namespace ember::fast {
namespace {

unsigned char At(std::string_view s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

constexpr std::array<unsigned char, 256> SpaceClasses() {
  std::array<unsigned char, 256> classes{};
  for (int c = 0x09; c <= 0x0d; ++c) classes[c] = 1;
  for (int c = 0x1c; c <= 0x20; ++c) classes[c] = 1;
  for (int c : {0xc2, 0xe1, 0xe2, 0xe3}) classes[c] = 2;
  return classes;
}

}  // namespace

constinit const std::array<unsigned char, 256> kSpaceClass = SpaceClasses();

size_t MultiByteSpaceAt(std::string_view s, size_t i) {
  switch (At(s, i)) {
    case 0xc2: {  // U+0085, U+00A0
      unsigned char c1 = At(s, i + 1);
      return c1 == 0x85 || c1 == 0xa0 ? 2 : 0;
    }
    case 0xe1:  // U+1680
      return At(s, i + 1) == 0x9a && At(s, i + 2) == 0x80 ? 3 : 0;
    case 0xe2: {
      unsigned char c1 = At(s, i + 1), c2 = At(s, i + 2);
      if (c1 == 0x80)  // U+2000..U+200A, U+2028, U+2029, U+202F
        return (c2 >= 0x80 && c2 <= 0x8a) || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf ? 3 : 0;
      return c1 == 0x81 && c2 == 0x9f ? 3 : 0;  // U+205F
    }
    case 0xe3:  // U+3000
      return At(s, i + 1) == 0x80 && At(s, i + 2) == 0x80 ? 3 : 0;
    default:
      return 0;
  }
}

int64_t CodePoints(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;  // every byte but continuation bytes
  return n;
}

}  // namespace ember::fast
