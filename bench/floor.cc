// The C++ floor of `make bench` (issue 16): bench/jobs.py's jobs written by
// hand in plain C++ with two threads and hash maps, no Python per record and
// nothing beyond the standard library, so ember's seconds can be read
// against what the machine does without an engine.
//
//   floor JOB INPUT     JOB: wordcount | english | groupby | join | sort
//
// Prints the JSON line jobs.py prints ({"seconds", "answer", "steps"}), with
// the answer in the same form, so bench/run.py checks it against the others.
// wordcount/english: split the file at a newline near its middle; each
// thread splits its half on ASCII whitespace and counts into its own map;
// the maps are merged and the top 10 taken by (-count, word).
// groupby/join/sort: the rows of jobs.py's lambdas (keyed, left_row/right_row,
// scramble), half of them per thread.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

constexpr int64_t kRows = 5'000'000;    // jobs.py N_ROWS
constexpr int64_t kSmall = 500'000;     // jobs.py N_SMALL
constexpr int64_t kKeys = 100'000;      // keyed = (i % 100000, i)
constexpr int64_t kSortSample = 100'000;

using Counts = std::unordered_map<std::string_view, int64_t>;

// Runs f(0, rows/2) and f(rows/2, rows) on two threads; returns both results.
template <typename F>
auto OnTwoThreads(int64_t rows, F f) {
  using R = decltype(f(int64_t{0}, int64_t{0}));
  R first, second;
  std::thread t([&] { first = f(0, rows / 2); });
  second = f(rows / 2, rows);
  t.join();
  return std::make_pair(std::move(first), std::move(second));
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

Counts CountWords(std::string_view text) {
  Counts counts;
  counts.reserve(1 << 16);
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && IsSpace(text[i])) ++i;
    size_t start = i;
    while (i < n && !IsSpace(text[i])) ++i;
    if (i > start) ++counts[text.substr(start, i - start)];
  }
  return counts;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);  // UTF-8 passes through: valid JSON
    }
  }
  return out + "\"";
}

std::string WordCount(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  in.seekg(0, std::ios::end);
  std::string text(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  if (!in.read(text.data(), static_cast<std::streamsize>(text.size()))) throw std::runtime_error("cannot read " + path);
  size_t middle = text.find('\n', text.size() / 2);
  middle = middle == std::string::npos ? text.size() : middle + 1;
  std::string_view all(text);
  Counts first, second;
  std::thread t([&] { first = CountWords(all.substr(0, middle)); });
  second = CountWords(all.substr(middle));
  t.join();
  for (const auto& [word, count] : second) first[word] += count;

  std::vector<std::pair<std::string_view, int64_t>> words(first.begin(), first.end());
  auto order = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  size_t top = std::min<size_t>(10, words.size());
  std::partial_sort(words.begin(), words.begin() + top, words.end(), order);
  std::string out = "[";
  for (size_t i = 0; i < top; ++i) {
    out += (i ? ", [" : "[") + JsonString(words[i].first) + ", " + std::to_string(words[i].second) + "]";
  }
  return out + "]";
}

// groupByKey of keyed rows, then sum over groups of max(values) - min(values).
std::string GroupBy() {
  using Groups = std::unordered_map<int64_t, std::vector<int64_t>>;
  auto [merged, other] = OnTwoThreads(kRows, [](int64_t begin, int64_t end) {
    Groups groups;
    groups.reserve(kKeys);
    for (int64_t i = begin; i < end; ++i) groups[i % kKeys].push_back(i);
    return groups;
  });
  for (auto& [key, values] : other) {
    auto& into = merged[key];
    into.insert(into.end(), values.begin(), values.end());
  }
  std::vector<const std::vector<int64_t>*> groups;
  groups.reserve(merged.size());
  for (const auto& kv : merged) groups.push_back(&kv.second);
  auto [a, b] = OnTwoThreads(static_cast<int64_t>(groups.size()), [&](int64_t begin, int64_t end) {
    int64_t total = 0;
    for (int64_t g = begin; g < end; ++g) {
      auto [lo, hi] = std::minmax_element(groups[g]->begin(), groups[g]->end());
      total += *hi - *lo;
    }
    return total;
  });
  return std::to_string(a + b);
}

// Left rows (i % 500000, i) joined with right rows (k, 3k); sum of v + w.
std::string Join() {
  std::unordered_map<int64_t, int64_t> right;
  right.reserve(kSmall);
  for (int64_t k = 0; k < kSmall; ++k) right.emplace(k, k * 3);
  auto [a, b] = OnTwoThreads(kRows, [&](int64_t begin, int64_t end) {
    int64_t total = 0;
    for (int64_t i = begin; i < end; ++i) {
      auto it = right.find(i % kSmall);
      if (it != right.end()) total += i + it->second;
    }
    return total;
  });
  return std::to_string(a + b);
}

// (i * 7919) % 5M sorted, every 100000th element.
std::string Sort() {
  auto [a, b] = OnTwoThreads(kRows, [](int64_t begin, int64_t end) {
    std::vector<int64_t> rows;
    rows.reserve(end - begin);
    for (int64_t i = begin; i < end; ++i) rows.push_back(i * 7919 % kRows);
    std::sort(rows.begin(), rows.end());
    return rows;
  });
  std::vector<int64_t> sorted(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), sorted.begin());
  std::string out = "[";
  for (size_t i = 0; i < sorted.size(); i += kSortSample) {
    out += (i ? ", " : "") + std::to_string(sorted[i]);
  }
  return out + "]";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: floor wordcount|english|groupby|join|sort INPUT\n";
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::string job = argv[1], answer;
  try {
    if (job == "wordcount" || job == "english") {
      answer = WordCount(argv[2]);
    } else if (job == "groupby") {
      answer = GroupBy();
    } else if (job == "join") {
      answer = Join();
    } else if (job == "sort") {
      answer = Sort();
    } else {
      std::cerr << "floor: no job " << job << "\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "floor: " << e.what() << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "{\"seconds\": " << seconds << ", \"answer\": " << answer << ", \"steps\": {}}" << std::endl;
  return 0;
}
