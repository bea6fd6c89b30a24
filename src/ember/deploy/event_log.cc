#include "ember/deploy/event_log.h"

#include <spdlog/spdlog.h>

#include "ember/io/file_system.h"

namespace ember::deploy {

namespace {

// The file name's extension for the configured codec ("" uncompressed).
Result<std::string> CodecSuffix(const Conf& conf) {
  EMBER_ASSIGN_OR_RETURN(bool compress, GetBool(conf, "spark.eventLog.compress"));
  if (!compress) return std::string();
  std::string codec = GetString(conf, "spark.eventLog.compression.codec");
  if (codec != "zstd")
    return InvalidArgument("spark.eventLog.compression.codec '" + codec +
                           "' is not supported by ember's event log: use zstd");
  return std::string(".zstd");
}

bool Exists(io::FileSystem& fs, const std::string& path) { return fs.Stat(path).ok(); }

// Removes an earlier log of the same name (overwrite), or refuses to.
Status ClearOldLog(io::FileSystem& fs, const std::string& path, bool overwrite) {
  for (const std::string& p : {path, path + ".inprogress"}) {
    if (!Exists(fs, p)) continue;
    if (!overwrite)
      return AlreadyExists("event log " + p +
                           " already exists (set spark.eventLog.overwrite=true to replace it)");
    EMBER_RETURN_IF_ERROR(fs.Delete(p, false));
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<EventLog>> EventLog::Open(const Conf& conf, const std::string& app_id) {
  EMBER_ASSIGN_OR_RETURN(bool enabled, GetBool(conf, "spark.eventLog.enabled"));
  if (!enabled) return std::unique_ptr<EventLog>();
  EMBER_ASSIGN_OR_RETURN(std::string suffix, CodecSuffix(conf));
  EMBER_ASSIGN_OR_RETURN(bool overwrite, GetBool(conf, "spark.eventLog.overwrite"));
  std::unique_ptr<EventLog> log(new EventLog());
  EMBER_ASSIGN_OR_RETURN(log->log_block_updates_,
                         GetBool(conf, "spark.eventLog.logBlockUpdates.enabled"));
  std::string dir = GetString(conf, "spark.eventLog.dir");
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  EMBER_ASSIGN_OR_RETURN(auto fs, io::FileSystemFor(dir));
  auto st = fs->Stat(dir);
  if (!st.ok() || !st->is_dir) return NotFound("Log directory " + dir + " does not exist.");
  log->path_ = dir + "/" + app_id + suffix;
  EMBER_RETURN_IF_ERROR(ClearOldLog(*fs, log->path_, overwrite));
  EMBER_ASSIGN_OR_RETURN(log->out_, io::CreateOutput(log->path_ + ".inprogress",
                                                     suffix.empty() ? io::Codec::kNone : io::Codec::kZstd));
  spdlog::debug("logging events to {}.inprogress", log->path_);
  return log;
}

void EventLog::Write(const scheduler::ListenerEvent& event, const std::string& json) {
  if (!out_) return;
  if (!log_block_updates_ && std::holds_alternative<scheduler::listener::BlockUpdated>(event)) return;
  Status st = out_->Write(json);
  if (st.ok()) st = out_->Write("\n");
  if (!st.ok()) Fail(st);
}

void EventLog::Fail(const Status& st) {
  spdlog::error("event log {}.inprogress: {}; no more events are logged", path_, st.ToString());
  out_.reset();
}

Status EventLog::Close() {
  if (!out_) return Status::OK();
  Status st = out_->Close();
  out_.reset();
  if (!st.ok()) return st;
  EMBER_ASSIGN_OR_RETURN(auto fs, io::FileSystemFor(path_));
  return fs->Rename(path_ + ".inprogress", path_);
}

}  // namespace ember::deploy
