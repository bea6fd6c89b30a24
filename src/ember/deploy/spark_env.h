// conf/spark-env.sh, loaded the way Spark's launch scripts load it.
//
// Contract: LoadSparkEnv, when $SPARK_CONF_DIR/spark-env.sh (else
// $EMBER_CONF_DIR/spark-env.sh) exists and SPARK_ENV_LOADED is not set,
// runs it with /bin/sh under `set -a` (so its assignments are exported) —
// the file's path is the shell's argument, never part of the command text —
// and gives this process every variable the script set or changed, plus
// SPARK_ENV_LOADED=1 so that the processes it starts do not load it again.
// What the script prints goes to stderr. A script that fails is
// InvalidArgument naming it and how it ended. Called by `ember submit`,
// `ember shell`, `ember master` and `ember worker` before they read their
// settings (SPARK_MASTER_HOST, SPARK_WORKER_CORES, PYSPARK_PYTHON, ...).
#pragma once

#include "ember/common/status.h"

namespace ember::deploy {

Status LoadSparkEnv();

}  // namespace ember::deploy
