// LocalizeTaskInputs: what an executor process does before each task so
// that nothing in the task reads the driver's file system.
//
// Contract: fetches through `cache` (file_cache.h) every broadcast the
// task's Python nodes use (PythonNode.broadcast_ids) and every file the
// job added (property ember.files.names), then points the task's
// properties at the local copies: ember.files.dir becomes the local files
// directory (created even when nothing was added, as SparkFiles' root) and
// ember.broadcast.dir is set to the local broadcast directory, where the
// Python worker then reads broadcast_<id> (python/ember/broadcast.py,
// files.py). The first failed fetch is returned, properties untouched;
// the task should then fail like any task whose input is missing (and is
// retried). Local modes do not call it: their executor shares the
// driver's file system, and without ember.broadcast.dir workers read the
// driver's paths.
//
// Names on the driver (relative to the application directory, written by
// python/ember/context.py): "broadcast/broadcast_<id>" and "files/<name>".
#pragma once

#include "ember/common/status.h"
#include "ember/exec/file_cache.h"
#include "ember.pb.h"

namespace ember::exec {

inline constexpr char kFilesDirProperty[] = "ember.files.dir";
// The names of the added files, '/'-joined ('/' cannot occur in a name).
inline constexpr char kFileNamesProperty[] = "ember.files.names";
inline constexpr char kBroadcastDirProperty[] = "ember.broadcast.dir";

Status LocalizeTaskInputs(FileCache& cache, proto::TaskDescription* task);
// The cache name of broadcast `id`'s file ("broadcast/broadcast_<id>").
std::string BroadcastName(int64_t id);

}  // namespace ember::exec
