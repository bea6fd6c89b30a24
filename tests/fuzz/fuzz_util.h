// Helpers shared by the fuzz targets: a scratch directory per process for
// the decoders that read files, and the fuzz input as a string.
//
// Contract: ScratchFile(name) is a path in a directory created once per
// process (under /dev/shm if present, else the temp dir; removed at exit); WriteScratch replaces that file's contents.
// Failures abort: a harness that cannot set up is broken, not the engine.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace ember::fuzz {

inline const std::filesystem::path& ScratchDir() {
  static const std::filesystem::path dir = [] {
    // In memory when the system has a tmpfs there: a file per input on a
    // busy disk made the file-reading targets 50 times slower.
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    std::string templ = (base / "ember-fuzz-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) std::abort();
    static std::filesystem::path made = templ;
    std::atexit([] { std::filesystem::remove_all(made); });
    return made;
  }();
  return dir;
}

inline std::string ScratchFile(const std::string& name) { return (ScratchDir() / name).string(); }

inline void WriteScratch(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) std::abort();
}

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace ember::fuzz
