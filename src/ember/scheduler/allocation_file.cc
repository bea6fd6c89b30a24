#include "ember/scheduler/allocation_file.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "ember/io/file_system.h"
#include "ember/io/s3_xml.h"

namespace ember::scheduler {
namespace {

constexpr const char* kSetting = "spark.scheduler.allocation.file";

std::string WithoutComments(std::string_view xml) {
  std::string out;
  for (size_t at = 0;;) {
    size_t open = xml.find("<!--", at);
    out.append(xml.substr(at, open == std::string_view::npos ? open : open - at));
    if (open == std::string_view::npos) return out;
    size_t close = xml.find("-->", open + 4);
    if (close == std::string_view::npos) return out;
    at = close + 3;
  }
}

// The value of attribute `name` in a start tag's text, or "" if absent.
std::string Attribute(std::string_view tag, std::string_view name) {
  for (size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    bool starts = at > 0 && std::isspace(static_cast<unsigned char>(tag[at - 1]));
    size_t eq = tag.find_first_not_of(" \t\r\n", at + name.size());
    if (!starts || eq == std::string_view::npos || tag[eq] != '=') continue;
    size_t quote = tag.find_first_not_of(" \t\r\n", eq + 1);
    if (quote == std::string_view::npos || (tag[quote] != '"' && tag[quote] != '\'')) continue;
    size_t end = tag.find(tag[quote], quote + 1);
    if (end == std::string_view::npos) continue;
    return io::XmlUnescape(tag.substr(quote + 1, end - quote - 1));
  }
  return "";
}

// An integer element of a pool, `fallback` when absent.
Result<int> IntElement(std::string_view body, const char* tag, int fallback, int min,
                       const std::string& where) {
  std::string text = io::XmlText(body, tag);
  size_t first = text.find_first_not_of(" \t\r\n"), last = text.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) return fallback;
  text = text.substr(first, last - first + 1);
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || errno != 0 || v < min || v > 1'000'000'000)
    return InvalidArgument(fmt::format("{}: {} must be an integer >= {}, not '{}'", where, tag, min, text));
  return static_cast<int>(v);
}

Result<PoolConfig> ParsePool(std::string_view body, const std::string& where) {
  PoolConfig pool;
  std::string mode = io::XmlText(body, "schedulingMode");
  size_t first = mode.find_first_not_of(" \t\r\n"), last = mode.find_last_not_of(" \t\r\n");
  if (first != std::string::npos) {
    EMBER_ASSIGN_OR_RETURN(pool.mode, ParseSchedulingMode(mode.substr(first, last - first + 1),
                                                          where + ": schedulingMode"));
  }
  EMBER_ASSIGN_OR_RETURN(pool.weight, IntElement(body, "weight", 1, 1, where));
  EMBER_ASSIGN_OR_RETURN(pool.min_share, IntElement(body, "minShare", 0, 0, where));
  return pool;
}

}  // namespace

Result<std::map<std::string, PoolConfig>> ParseAllocations(std::string_view text, const std::string& file) {
  std::string xml = WithoutComments(text);
  std::string in_file = fmt::format("{} {}", kSetting, file);
  if (xml.find("<allocations") == std::string::npos)
    return InvalidArgument(in_file + ": no <allocations> element (is it the fair scheduler's XML file?)");
  std::map<std::string, PoolConfig> pools;
  for (size_t at = xml.find("<pool"); at != std::string::npos; at = xml.find("<pool", at + 1)) {
    char next = at + 5 < xml.size() ? xml[at + 5] : '\0';
    if (next != '>' && next != '/' && !std::isspace(static_cast<unsigned char>(next))) continue;
    size_t tag_end = xml.find('>', at);
    if (tag_end == std::string::npos) return InvalidArgument(in_file + ": unterminated <pool> tag");
    std::string_view tag(xml.data() + at, tag_end - at);
    std::string name = Attribute(tag, "name");
    if (name.empty()) return InvalidArgument(in_file + ": a <pool> without a name attribute");
    std::string where = fmt::format("{}: pool '{}'", in_file, name);
    std::string_view body;
    if (tag.back() != '/') {  // <pool name="x"/> configures nothing
      size_t close = xml.find("</pool>", tag_end);
      if (close == std::string::npos) return InvalidArgument(where + ": no </pool>");
      body = std::string_view(xml).substr(tag_end + 1, close - tag_end - 1);
    }
    EMBER_ASSIGN_OR_RETURN(PoolConfig pool, ParsePool(body, where));
    if (!pools.emplace(name, pool).second) return InvalidArgument(where + " is configured twice");
  }
  return pools;
}

Result<std::map<std::string, PoolConfig>> LoadAllocationFile(const std::string& path) {
  auto text = io::ReadFileContents(path);
  if (!text.ok())
    return InvalidArgument(fmt::format("{} {}: cannot read it: {}", kSetting, path, text.status().message()));
  return ParseAllocations(*text, path);
}

}  // namespace ember::scheduler
