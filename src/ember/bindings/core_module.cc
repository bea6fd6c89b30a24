// ember._core: the pybind11 face of the engine. Thin by design: it converts
// arguments and results and turns a failed Status into
// `_core.EngineError(code, message, stage, partition, attempts, task_code)`,
// which ember/errors.py translates into the public exception classes.
// Blocking calls release the GIL; jobs can be interrupted with Ctrl-C.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <future>
#include <malloc.h>
#include <thread>

#include "ember/bindings/fast_bindings.h"
#include "ember/bindings/settings_bindings.h"
#include "ember/common/crypto.h"
#include "ember/common/logging.h"
#include "ember/deploy/engine.h"

namespace py = pybind11;
using ember::Status;
using ember::deploy::Engine;

namespace {

PyObject* g_engine_error = nullptr;

[[noreturn]] void Raise(const Status& st, const ember::scheduler::JobFailure* f = nullptr) {
  py::tuple args = py::make_tuple(static_cast<int>(st.code()), st.message(), f ? f->stage : -1,
                                  f ? f->partition : -1, f ? f->attempts : 0,
                                  f ? f->task_error_code : 0);
  PyErr_SetObject(g_engine_error, args.ptr());
  throw py::error_already_set();
}

template <typename T>
T Check(ember::Result<T> r) {
  if (!r.ok()) Raise(r.status());
  return std::move(r).value();
}

// Runs `fn` with the GIL released; errors are raised after it is back.
template <typename Fn>
auto WithoutGil(Fn fn) {
  py::gil_scoped_release nogil;
  return fn();
}

// Runs a blocking job on a helper thread while this (Python) thread waits
// with the GIL released, waking every 100 ms to let Python handle signals:
// Ctrl-C cancels the application's jobs and raises KeyboardInterrupt, as
// in PySpark.
template <typename Fn>
auto RunInterruptibly(Engine& e, Fn fn) {
  using Out = decltype(fn());
  std::promise<Out> done;
  auto result = done.get_future();
  std::thread runner([&] { done.set_value(fn()); });
  for (;;) {
    bool ready;
    {
      py::gil_scoped_release nogil;
      ready = result.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
    }
    if (ready) break;
    if (PyErr_CheckSignals() != 0) {
      {
        py::gil_scoped_release nogil;
        // Cancel until it has ended: a job the runner is still submitting
        // when the signal comes is not there to cancel the first time.
        do e.CancelAllJobs();
        while (result.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready);
        runner.join();
      }
      throw py::error_already_set();
    }
  }
  runner.join();
  return result.get();
}

// The frames of a finished job, handed to Python one (type, bytes) at a
// time, each freed here as it goes: a collect() decoding them as it
// iterates holds its records and one pickled frame, never every frame
// both here and as Python bytes. The freed frames sit in the executor
// threads' malloc arenas, which Python's allocations never reuse, so their
// pages go back to the system every kTrimBytes.
class JobFrames {
 public:
  explicit JobFrames(std::vector<std::vector<ember::proto::Frame>> results)
      : results_(std::move(results)) {}

  py::tuple Next() {
    for (; part_ < results_.size(); ++part_, next_ = 0) {
      auto& frames = results_[part_];
      if (next_ < frames.size()) {
        auto& f = frames[next_++];
        py::tuple out = py::make_tuple(f.type(), py::bytes(f.data()));
        freed_ += f.data().size();
        std::string().swap(*f.mutable_data());
        if (freed_ >= kTrimBytes) {
          malloc_trim(0);
          freed_ = 0;
        }
        return out;
      }
      std::vector<ember::proto::Frame>().swap(frames);
    }
    throw py::stop_iteration();
  }

 private:
  static constexpr size_t kTrimBytes = 16 << 20;
  std::vector<std::vector<ember::proto::Frame>> results_;
  size_t part_ = 0;
  size_t next_ = 0;
  size_t freed_ = 0;
};

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "ember engine (C++)";
  // The engine's log goes to stderr, as Spark's does: the program's stdout
  // is its own. WARN until sc.setLogLevel / spark.log.level says otherwise.
  ember::InitLogging("WARN");
  ember::InitCrypto();  // before any server starts (crypto.h)
  g_engine_error = PyErr_NewException("ember._core.EngineError", PyExc_RuntimeError, nullptr);
  m.attr("EngineError") = py::handle(g_engine_error);
  BindSettings(m, [](const Status& st) { Raise(st); });
  BindFast(m);

  py::class_<JobFrames>(m, "JobFrames")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &JobFrames::Next);

  py::class_<Engine>(m, "Engine")
      .def(py::init([](const std::map<std::string, std::string>& conf) {
        return Check(WithoutGil([&] { return Engine::Start(conf); })).release();
      }))
      // `slices` may be a generator: each pickled slice is copied in and
      // released before the next is made, so the caller never holds them all.
      .def("add_parallel",
           [](Engine& e, const py::iterable& slices) {
             std::vector<std::string> s;
             for (py::handle b : slices) s.emplace_back(b.cast<py::bytes>());
             return Check(e.AddParallel(std::move(s)));
           })
      .def("add_text_file", [](Engine& e, const std::string& p, int n, bool u, bool offsets) {
        return Check(WithoutGil([&] { return e.AddTextFile(p, n, u, offsets); }));
      }, py::arg("paths"), py::arg("min_partitions"), py::arg("use_unicode"), py::arg("with_offsets") = false)
      .def("add_whole_files", [](Engine& e, const std::string& p, int n, bool t) {
        return Check(WithoutGil([&] { return e.AddWholeFiles(p, n, t); }));
      })
      .def("list_input_files",
           [](Engine& e, const std::string& spec) { return Check(WithoutGil([&] { return e.ListInputFiles(spec); })); })
      .def("add_binary_records", [](Engine& e, const std::string& p, int length, int n) {
        return Check(WithoutGil([&] { return e.AddBinaryRecords(p, length, n); }));
      })
      .def("add_sequence_file",
           [](Engine& e, const std::string& p, int n, const std::string& kc, const std::string& vc) {
             return Check(WithoutGil([&] { return e.AddSequenceFile(p, n, kc, vc); }));
           })
      .def("add_python",
           [](Engine& e, int parent, py::bytes cmd, std::vector<int64_t> broadcast_ids, bool barrier) {
             return Check(e.AddPython(parent, std::string(cmd), std::move(broadcast_ids), barrier));
           },
           py::arg("parent"), py::arg("command"), py::arg("broadcast_ids"), py::arg("barrier") = false)
      .def("is_barrier", &Engine::IsBarrier)
      .def("add_shuffled", [](Engine& e, int map_node, int n) { return Check(e.AddShuffled(map_node, n)); })
      .def("add_union", [](Engine& e, const std::vector<int>& p) { return Check(e.AddUnion(p)); })
      .def("add_coalesce", [](Engine& e, int parent, const std::vector<std::vector<int>>& g) {
        return Check(e.AddCoalesce(parent, g));
      })
      .def("add_checkpoint", [](Engine& e, const std::vector<std::string>& files) {
        return Check(e.AddCheckpoint(files));
      })
      .def("add_pair", [](Engine& e, int first, int second, bool cartesian) {
        return Check(e.AddPair(first, second, cartesian));
      })
      .def("num_partitions", [](Engine& e, int node) { return Check(e.NumPartitions(node)); })
      .def("release_node", [](Engine& e, int node) { WithoutGil([&] { e.ReleaseNode(node); }); })
      .def("remove_broadcast", [](Engine& e, int64_t id) { WithoutGil([&] { e.RemoveBroadcast(id); }); })
      .def("live_counts", [](Engine& e) { return Check(WithoutGil([&] { return e.LiveCounts(); })); })
      .def("persist", &Engine::Persist)
      .def("unpersist", &Engine::Unpersist)
      .def("run_job",
           [](Engine& e, int node, std::vector<int> partitions,
              std::map<std::string, std::string> props) {
             auto out = RunInterruptibly(
                 e, [&] { return e.RunJob(node, std::move(partitions), std::move(props)); });
             if (!out.failure.status.ok()) Raise(out.failure.status, &out.failure);
             return JobFrames(std::move(out.results));
           })
      .def("save_as_text_file",
           [](Engine& e, int node, const std::string& path, const std::string& codec,
              std::map<std::string, std::string> props) {
             auto f = RunInterruptibly(
                 e, [&] { return e.SaveAsTextFile(node, path, codec, std::move(props)); });
             if (!f.status.ok()) Raise(f.status, &f);
           })
      .def("save_as_frame_files",
           [](Engine& e, int node, const std::string& path, std::map<std::string, std::string> props) {
             auto f = RunInterruptibly(e, [&] { return e.SaveAsFrameFiles(node, path, std::move(props)); });
             if (!f.status.ok()) Raise(f.status, &f);
           })
      .def("save_as_sequence_file",
           [](Engine& e, int node, const std::string& path, const std::string& key_class,
              const std::string& value_class, const std::string& codec, const std::string& compression,
              int64_t block_size, std::map<std::string, std::string> props) {
             ember::proto::SequenceFileFormat format;
             format.set_key_class(key_class);
             format.set_value_class(value_class);
             format.set_codec(codec);
             format.set_compression(compression);
             format.set_block_size(block_size);
             auto f = RunInterruptibly(
                 e, [&] { return e.SaveAsSequenceFile(node, path, format, std::move(props)); });
             if (!f.status.ok()) Raise(f.status, &f);
           })
      .def("cancel_all_jobs", [](Engine& e) {
        py::gil_scoped_release nogil;
        e.CancelAllJobs();
      })
      .def("cancel_job_group", [](Engine& e, const std::string& group) {
        py::gil_scoped_release nogil;
        e.CancelJobGroup(group);
      })
      .def("cancel_jobs_with_tag", [](Engine& e, const std::string& tag) {
        py::gil_scoped_release nogil;
        e.CancelJobsWithTag(tag);
      })
      .def("job_ids_for_group", [](Engine& e, std::optional<std::string> group) {
        return Check(e.Tracker())->JobIdsForGroup(group);
      })
      .def("active_job_ids", [](Engine& e) { return Check(e.Tracker())->ActiveJobIds(); })
      .def("active_stage_ids", [](Engine& e) { return Check(e.Tracker())->ActiveStageIds(); })
      // (job id, stage ids, "RUNNING" | "SUCCEEDED" | "FAILED") or None
      .def("job_info", [](Engine& e, int id) -> py::object {
        auto job = Check(e.Tracker())->Job(id);
        if (!job) return py::none();
        static const char* kStatus[] = {"RUNNING", "SUCCEEDED", "FAILED"};
        return py::make_tuple(job->job_id, job->stage_ids, kStatus[static_cast<int>(job->status)]);
      })
      // (stage id, attempt, name, tasks, active, completed, failed,
      // {TaskMetrics field name: sum over the stage's ended tasks}) or None
      .def("stage_info", [](Engine& e, int id) -> py::object {
        auto s = Check(e.Tracker())->Stage(id);
        if (!s) return py::none();
        py::dict metrics;
        const auto* fields = ember::proto::TaskMetrics::descriptor();
        for (int i = 0; i < fields->field_count(); ++i)
          metrics[py::str(fields->field(i)->name())] =
              ember::proto::TaskMetrics::GetReflection()->GetInt64(s->metrics, fields->field(i));
        return py::make_tuple(s->stage_id, s->attempt, s->name, s->num_tasks, s->active_tasks,
                              s->completed_tasks, s->failed_tasks, metrics);
      })
      // The listener events posted since the previous call, as the JSON
      // lines of Spark's event log (str each); waits up to timeout_s (GIL
      // released) when there are none; [] at the timeout. Events are kept
      // only from the first call on (or from the start with
      // ember.listenerEvents.enabled=true), at most
      // spark.scheduler.listenerbus.eventqueue.capacity of them.
      .def("listener_events", [](Engine& e, double timeout_s) {
        std::vector<std::string> lines;
        {
          py::gil_scoped_release nogil;
          lines = e.ListenerEvents(timeout_s);
        }
        return lines;
      }, py::arg("timeout_s"))
      // With spark.scheduler.mode=FAIR the pools the allocation file
      // configured, {name: {"schedulingMode": "FIFO" | "FAIR", "weight": int,
      // "minShare": int}} (the web UI's pool table); None with FIFO.
      .def("scheduler_pools", [](Engine& e) -> py::object {
        const auto& pools = e.pools();
        if (pools.mode() != ember::scheduler::SchedulingMode::kFair) return py::none();
        py::dict out;
        for (const auto& [name, c] : pools.configured())
          out[py::str(name)] = py::dict(py::arg("schedulingMode") = ember::scheduler::SchedulingModeName(c.mode),
                                        py::arg("weight") = c.weight, py::arg("minShare") = c.min_share);
        return out;
      })
      .def("take_accumulator_updates", [](Engine& e) {
        py::list out;
        for (auto& u : e.TakeAccumulatorUpdates()) out.append(py::bytes(u));
        return out;
      })
      .def("stop", [](Engine& e) {
        py::gil_scoped_release nogil;
        e.Stop();
      })
      .def_property_readonly("default_parallelism", &Engine::default_parallelism)
      .def_property_readonly("app_id", &Engine::app_id)
      .def_property_readonly("local_dir", &Engine::local_dir)
      .def_property_readonly("driver_address", &Engine::driver_address);
}
