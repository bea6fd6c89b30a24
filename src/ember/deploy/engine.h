// Engine: one application's driver-side engine — graph, scheduler and the
// backend its tasks run on (one in-process executor for local[N], executor
// processes for local-cluster[W,C,M]). The Python SparkContext owns exactly one.
//
// Contract: Start() parses the master URL and settings, creates the
// application's local directory (removed again by Stop() and by the
// destructor) and starts the backend. Add*() register RDD nodes and return
// their ids, each node built by its kind's home under rdd/; errors name
// the input at fault (missing path, ...). The engine's listener bus
// (scheduler/listener_bus.h) feeds the event log (event_log.h, when
// spark.eventLog.enabled) and the live UI's queue (live_events.h, read by
// ListenerEvents); Stop() posts SparkListenerApplicationEnd last and then
// gives the event log its final name. RunJob()
// and the Save* calls block until the job ends. After Stop() every call
// fails with "SparkContext has been stopped".
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/deploy/event_log.h"
#include "ember/deploy/live_events.h"
#include "ember/deploy/local_backend.h"
#include "ember/deploy/master_url.h"
#include "ember/deploy/settings.h"
#include "ember/io/output_committer.h"
#include "ember/rdd/graph.h"
#include "ember/scheduler/dag_scheduler.h"

namespace ember::deploy {



class Engine {
 public:
  static Result<std::unique_ptr<Engine>> Start(const Conf& conf);
  ~Engine();

  Result<int> AddParallel(std::vector<std::string> slices);
  Result<int> AddTextFile(const std::string& paths, int min_partitions, bool use_unicode,
                          bool with_offsets = false);
  Result<int> AddWholeFiles(const std::string& paths, int min_partitions, bool as_text);
  // The files a path spec names (io/file_list.h), on any file system.
  Result<std::vector<std::string>> ListInputFiles(const std::string& spec) const;
  Result<int> AddBinaryRecords(const std::string& paths, int record_length, int min_partitions);
  Result<int> AddSequenceFile(const std::string& paths, int min_partitions, const std::string& key_class,
                              const std::string& value_class);
  // `broadcast_ids`: the broadcasts pickled into `command`, which an
  // executor fetches before running it (exec/task_inputs.h).
  Result<int> AddPython(int parent, std::string command, std::vector<int64_t> broadcast_ids,
                        bool barrier = false);
  // Whether `node` is computed in barrier mode (RDD._is_barrier()).
  bool IsBarrier(int node) const;
  Result<int> AddShuffled(int map_node, int num_partitions);
  Result<int> AddUnion(const std::vector<int>& parents);
  Result<int> AddCoalesce(int parent, const std::vector<std::vector<int>>& groups);
  // cartesian: every (first, second) partition pair; else zip: partition i
  // with partition i (the partition counts must match).
  Result<int> AddPair(int first, int second, bool cartesian);
  // An RDD read back from checkpoint files, one per partition (each must exist).
  Result<int> AddCheckpoint(const std::vector<std::string>& files);
  Result<int> NumPartitions(int node) const;
  // Cache `node`'s partitions in the executors' block stores from its next
  // computation on; Unpersist() stops that and drops the cached blocks.
  void Persist(int node, bool use_memory, bool use_disk, int replication);
  void Unpersist(int node);
  // The driver dropped its handle on `node` (each Add*() gives one): the
  // node goes once nothing live depends on it (rdd/graph.h), and with each
  // shuffled node that goes, its shuffle's map outputs and files
  // (ContextCleaner). A job holds its node while it runs. No-op once stopped.
  void ReleaseNode(int node);
  // The driver dropped broadcast `id` (destroyed or collected): executors
  // delete their copies of its file. No-op once stopped.
  void RemoveBroadcast(int64_t id);
  // How many of each kind of per-RDD and per-job state the driver holds
  // (graph nodes, shuffles, scheduler stages/jobs/cached partitions/map
  // outputs, tracked jobs/stages): tests check they stay bounded.
  Result<std::map<std::string, size_t>> LiveCounts();

  scheduler::JobOutput RunJob(int node, std::vector<int> partitions, Conf properties);
  scheduler::JobFailure SaveAsTextFile(int node, const std::string& path, const std::string& codec,
                                       Conf properties);
  // The node's partitions as frame files part-NNNNN under `path` (a
  // checkpoint, read back by AddCheckpoint).
  scheduler::JobFailure SaveAsFrameFiles(int node, const std::string& path, Conf properties);
  // The node's WRITABLE_PAIRS records as SequenceFiles of these classes.
  scheduler::JobFailure SaveAsSequenceFile(int node, const std::string& path,
                                           const proto::SequenceFileFormat& format, Conf properties);
  void CancelAllJobs();
  void CancelJobGroup(const std::string& group);
  void CancelJobsWithTag(const std::string& tag);
  // Job and stage status; valid until Stop().
  Result<const scheduler::JobTracker*> Tracker() const;
  std::vector<std::string> TakeAccumulatorUpdates();
  // The listener events posted since the previous call, as event log JSON
  // lines, waiting up to `timeout_s` when there are none (LiveEvents::Take).
  std::vector<std::string> ListenerEvents(double timeout_s) { return live_events_->Take(timeout_s); }
  void Stop();

  int default_parallelism() const { return slots_; }
  const std::string& app_id() const { return app_id_; }
  const std::string& local_dir() const { return app_dir_; }
  // Cluster modes: host:port executors connect to ("" in local modes).
  const std::string& driver_address() const { return driver_address_; }
  // spark.scheduler.mode and, with FAIR, the pools of the allocation file
  // (spark.scheduler.allocation.file, else the configuration directory's
  // fairscheduler.xml), as read once by Start().
  const scheduler::Pools& pools() const { return pools_; }

 private:
  Engine() = default;
  Status CheckRunning() const;
  // The listener bus, its listeners and the events opening the application.
  Status StartListeners(const MasterSpec& spec);
  Result<int> Add(Result<proto::Node> node);
  // Runs an output job through `committer` (io/output_committer.h).
  scheduler::JobFailure SaveFiles(int node, Result<io::FileOutputCommitter> committer, Conf properties);
  // Runs `spec` holding its final node, so the node outlives the job even
  // if its RDD is dropped meanwhile (rdd/graph.h).
  scheduler::JobOutput RunHeldJob(scheduler::JobSpec spec);

  Conf conf_;
  int slots_ = 1;
  scheduler::Pools pools_;
  std::string app_id_, app_dir_, driver_address_;
  rdd::Graph graph_;
  // Before the backend and scheduler, which post to the bus: destroyed after them.
  std::unique_ptr<EventLog> event_log_;
  std::unique_ptr<LiveEvents> live_events_ = std::make_unique<LiveEvents>(1, false);
  std::unique_ptr<scheduler::ListenerBus> bus_;
  std::unique_ptr<scheduler::SchedulerBackend> backend_;
  std::unique_ptr<scheduler::DAGScheduler> scheduler_;
  mutable std::mutex mu_;
  bool stopped_ = false;
};

}  // namespace ember::deploy
