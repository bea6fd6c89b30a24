// Status and Result<T>: how every engine function reports failure.
//
// Contract: engine code never throws across threads or out of a layer; a
// function that can fail returns Status (or Result<T> carrying a value).
// The code says what kind of failure it is so the Python side can raise
// the matching ember.errors class; the message names the thing at fault
// (file, partition, setting).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ember {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad setting or argument from the user
  kNotFound,         // missing input path, block or map output
  kAlreadyExists,    // output path exists
  kIOError,          // read/write failure, disk full
  kCorrupt,          // checksum mismatch, bad compressed data, bad UTF-8
  kTaskFailed,       // user code raised or a worker died
  kFetchFailed,      // a shuffle block could not be read
  kCancelled,        // job or task cancelled
  kInternal,         // a bug in ember
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
inline Status Corrupt(std::string m) { return {StatusCode::kCorrupt, std::move(m)}; }
inline Status TaskFailed(std::string m) { return {StatusCode::kTaskFailed, std::move(m)}; }
inline Status FetchFailed(std::string m) { return {StatusCode::kFetchFailed, std::move(m)}; }
inline Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// errno-based I/O error naming the operation and path: "open /x: No such file".
Status ErrnoError(const std::string& what, const std::string& path, int err);

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& value() const& { return std::get<T>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &std::get<T>(v_); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace ember

#define EMBER_CONCAT_INNER(a, b) a##b
#define EMBER_CONCAT(a, b) EMBER_CONCAT_INNER(a, b)

// Return the Status from the enclosing function if `expr` failed.
#define EMBER_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::ember::Status _st = (expr);              \
    if (!_st.ok()) return _st;                 \
  } while (0)

// `EMBER_ASSIGN_OR_RETURN(auto x, F())`: unwrap a Result or return its Status.
#define EMBER_ASSIGN_OR_RETURN(lhs, expr)                                  \
  auto EMBER_CONCAT(_res_, __LINE__) = (expr);                             \
  if (!EMBER_CONCAT(_res_, __LINE__).ok())                                 \
    return EMBER_CONCAT(_res_, __LINE__).status();                         \
  lhs = std::move(EMBER_CONCAT(_res_, __LINE__)).value()
