#include "ember/deploy/executor_conf.h"

#include <chrono>

#include "ember/common/file_util.h"

namespace ember::deploy {

Result<exec::ExecutorOptions> ExecutorOptionsFromConf(const Conf& conf, const std::string& executor_id,
                                                      int cores, int64_t memory_bytes,
                                                      const std::string& work_dir) {
  EMBER_ASSIGN_OR_RETURN(int task_cpus, GetInt(conf, "spark.task.cpus"));
  if (task_cpus < 1 || task_cpus > cores)
    return InvalidArgument("The number of cores per executor (=" + std::to_string(cores) +
                           ") has to be >= the number of cpus per task = " + std::to_string(task_cpus) +
                           " (spark.task.cpus)");
  exec::ExecutorOptions ex;
  ex.executor_id = executor_id;
  ex.slots = cores / task_cpus;  // each task holds spark.task.cpus cores
  ex.task_cpus = task_cpus;
  ex.work_dir = work_dir;
  ex.workers.python = GetString(conf, "spark.pyspark.python");
  ex.workers.pythonpath = GetString(conf, "ember.pythonpath");
  ex.workers.secret = RandomHex(32);
  const std::string kEnvPrefix = "spark.executorEnv.";
  for (const auto& [k, v] : conf)
    if (k.rfind(kEnvPrefix, 0) == 0) ex.workers.env.emplace_back(k.substr(kEnvPrefix.size()), v);
  EMBER_ASSIGN_OR_RETURN(int64_t budget, GetBytes(conf, "spark.shuffle.memory"));
  ex.shuffle_memory_budget = static_cast<size_t>(budget);
  // Cached partitions: the executor's memory x spark.memory.fraction, as
  // the share of the executor Spark lets storage use.
  EMBER_ASSIGN_OR_RETURN(double fraction, GetDouble(conf, "spark.memory.fraction"));
  ex.storage_memory_budget = static_cast<size_t>(static_cast<double>(memory_bytes) * fraction);
  // Python workers spill aggregation and sort data to disk above this.
  EMBER_ASSIGN_OR_RETURN(int64_t worker_memory, GetBytes(conf, "spark.python.worker.memory"));
  ex.workers.env.emplace_back("EMBER_PYTHON_WORKER_MEMORY", std::to_string(worker_memory));
  // A task allocating more than this raises MemoryError (the worker's
  // address space is capped), instead of exhausting the machine.
  if (!GetString(conf, "spark.executor.pyspark.memory").empty()) {
    EMBER_ASSIGN_OR_RETURN(int64_t bytes, GetBytes(conf, "spark.executor.pyspark.memory"));
    ex.workers.env.emplace_back("EMBER_PYSPARK_MEMORY", std::to_string(bytes));
  }
  // Idle Python workers are stopped after a while, and beyond a number.
  EMBER_ASSIGN_OR_RETURN(double idle_s, GetSeconds(conf, "ember.python.worker.idleTimeout"));
  if (idle_s <= 0)
    return InvalidArgument("ember.python.worker.idleTimeout must be positive, got " +
                           GetString(conf, "ember.python.worker.idleTimeout"));
  ex.workers.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(idle_s * 1000));
  if (!GetString(conf, "spark.python.factory.idleWorkerMaxPoolSize").empty()) {
    EMBER_ASSIGN_OR_RETURN(int max_idle, GetInt(conf, "spark.python.factory.idleWorkerMaxPoolSize"));
    ex.workers.max_idle = static_cast<size_t>(max_idle);
  }
  EMBER_ASSIGN_OR_RETURN(ex.max_result_bytes, GetBytes(conf, "spark.driver.maxResultSize"));
  EMBER_ASSIGN_OR_RETURN(ex.faults, exec::FaultInjector::FromConf(conf));
  EMBER_ASSIGN_OR_RETURN(ex.fetch.max_retries, GetInt(conf, "spark.shuffle.io.maxRetries"));
  EMBER_ASSIGN_OR_RETURN(ex.fetch.retry_wait_s, GetSeconds(conf, "spark.shuffle.io.retryWait"));
  // Spark's: spark.shuffle.io.connectionTimeout, by default spark.network.timeout.
  EMBER_ASSIGN_OR_RETURN(double io_s, GetSeconds(conf, "spark.shuffle.io.connectionTimeout"));
  ex.fetch.connect_timeout = ex.fetch.io_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(io_s * 1000));
  EMBER_ASSIGN_OR_RETURN(int64_t in_flight, GetBytes(conf, "spark.reducer.maxSizeInFlight"));
  ex.max_bytes_in_flight = static_cast<size_t>(in_flight);
  return ex;
}

}  // namespace ember::deploy
