// The driver a fuzz target links in the normal (GCC) build, in place of
// libFuzzer: it replays every file of a corpus directory through
// LLVMFuzzerTestOneInput, then feeds it a fixed number of deterministic
// mutations of those files (byte flips, inserts, deletions, truncations,
// splices, "interesting" 32-bit values such as huge lengths), so `ctest`
// runs each target briefly and the same way every time.
//
// Usage: <target> <corpus dir or file>... [--mutations N] [--seed S]
// An allocation over kMaxAllocation through operator new aborts, as
// libFuzzer's -malloc_limit_mb does: a length field read from the input
// must never make a decoder allocate gigabytes.
// A crash (signal) writes the input that caused it to
// ./crash-fuzz_<target>-<n> and says so on stderr, so it can be added to the
// corpus; a target reports a bug by crashing (abort), never by returning.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

using Bytes = std::string;
constexpr size_t kMaxAllocation = 256 << 20;

// The input being run and where it goes on a crash, for the signal handler.
const Bytes* g_current = nullptr;
char g_crash_path[512];

void OnCrash(int sig) {
  if (g_current != nullptr) {
    int fd = ::open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ssize_t ignored = ::write(fd, g_current->data(), g_current->size());
      (void)ignored;
      ::close(fd);
    }
    static const char kMsg[] = "fuzz replay: crashing input written to ";
    ssize_t ignored = ::write(2, kMsg, sizeof kMsg - 1);
    ignored = ::write(2, g_crash_path, std::strlen(g_crash_path));
    ignored = ::write(2, "\n", 1);
    (void)ignored;
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void Run(const Bytes& input) {
  g_current = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  g_current = nullptr;
}

Bytes ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One random edit of `b`. Only the engine's raw output is used (not
// std::uniform_int_distribution), so every standard library gives the same
// sequence.
class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  Bytes Mutate(const std::vector<Bytes>& corpus) {
    Bytes b = corpus.empty() ? Bytes() : corpus[Below(corpus.size())];
    int edits = 1 + static_cast<int>(Below(4));
    for (int i = 0; i < edits; ++i) Edit(&b, corpus);
    return b;
  }

 private:
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }

  void Edit(Bytes* b, const std::vector<Bytes>& corpus) {
    static const uint32_t kInteresting[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x10000,
                                            0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};
    switch (Below(7)) {
      case 0:  // flip a bit
        if (!b->empty()) (*b)[Below(b->size())] ^= static_cast<char>(1u << Below(8));
        break;
      case 1:  // set a byte
        if (!b->empty()) (*b)[Below(b->size())] = static_cast<char>(rng_());
        break;
      case 2: {  // insert random bytes
        Bytes ins(1 + Below(16), '\0');
        for (char& c : ins) c = static_cast<char>(rng_());
        b->insert(Below(b->size() + 1), ins);
        break;
      }
      case 3:  // delete a range
        if (!b->empty()) {
          size_t at = Below(b->size());
          b->erase(at, 1 + Below(std::min<size_t>(64, b->size() - at)));
        }
        break;
      case 4:  // truncate
        b->resize(Below(b->size() + 1));
        break;
      case 5: {  // splice: our prefix, another input's suffix
        if (corpus.empty()) break;
        const Bytes& other = corpus[Below(corpus.size())];
        *b = b->substr(0, Below(b->size() + 1)) + other.substr(Below(other.size() + 1));
        break;
      }
      default: {  // an interesting 32-bit value (little- or big-endian) over 4 bytes
        if (b->size() < 4) break;
        uint32_t v = kInteresting[Below(std::size(kInteresting))];
        bool big = Below(2) == 1;
        size_t at = Below(b->size() - 3);
        for (int i = 0; i < 4; ++i) (*b)[at + i] = static_cast<char>(v >> (8 * (big ? 3 - i : i)));
        break;
      }
    }
  }

  std::mt19937_64 rng_;
};

}  // namespace

void* operator new(size_t size) {
  if (size > kMaxAllocation) {
    std::fprintf(stderr, "fuzz replay: an allocation of %zu bytes (over the %zu limit)\n", size,
                 kMaxAllocation);
    std::abort();
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  long mutations = 0;
  uint64_t seed = 1;
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mutations" && i + 1 < argc) mutations = std::atol(argv[++i]);
    else if (arg == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else inputs.emplace_back(arg);
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "usage: %s <corpus dir or file>... [--mutations N] [--seed S]\n", argv[0]);
    return 2;
  }
  std::string name = std::filesystem::path(argv[0]).filename().string();
  std::snprintf(g_crash_path, sizeof g_crash_path, "crash-%s", name.c_str());
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) ::signal(sig, OnCrash);

  std::vector<std::filesystem::path> files;
  for (const auto& in : inputs) {
    if (std::filesystem::is_directory(in)) {
      for (const auto& e : std::filesystem::directory_iterator(in))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (std::filesystem::is_regular_file(in)) {
      files.push_back(in);
    } else {
      std::fprintf(stderr, "%s: no such corpus file or directory: %s\n", name.c_str(), in.c_str());
      return 2;
    }
  }
  std::sort(files.begin(), files.end());  // directory order is not stable
  std::vector<Bytes> corpus;
  for (const auto& f : files) corpus.push_back(ReadFile(f));
  if (corpus.empty()) {
    std::fprintf(stderr, "%s: the corpus is empty\n", name.c_str());
    return 2;
  }

  for (const Bytes& b : corpus) Run(b);
  Mutator mutator(seed);
  for (long i = 0; i < mutations; ++i) {
    Bytes b = mutator.Mutate(corpus);
    std::snprintf(g_crash_path, sizeof g_crash_path, "crash-%s-%ld", name.c_str(), i);
    Run(b);
  }
  std::printf("%s: %zu corpus inputs and %ld mutations ran clean (seed %llu)\n", name.c_str(),
              corpus.size(), mutations, static_cast<unsigned long long>(seed));
  return 0;
}
