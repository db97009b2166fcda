#!/usr/bin/env bash
# Shared settings of the bin/ scripts: a Flink standalone session cluster on 127.0.0.1 built from Maven
# Central artifacts (module flink-cluster), configured by conf/ like a Flink distribution's conf/.
set -euo pipefail
IC_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$IC_HOME/bin/build-cache.sh"
export FLINK_CONF_DIR="${FLINK_CONF_DIR:-$IC_HOME/conf}"
IC_LOG_DIR="${IC_LOG_DIR:-$IC_HOME/log}"
IC_PID_DIR="${IC_PID_DIR:-$IC_HOME/log}"
cluster_classpath_file="$IC_HOME/flink-cluster/target/cluster.classpath"
# The distribution's plugins/ (Flink's S3 file system), copied by the build of flink-cluster with the classpath.
export FLINK_PLUGINS_DIR="${FLINK_PLUGINS_DIR:-$IC_HOME/flink-cluster/target/plugins}"
mkdir -p "$IC_LOG_DIR" "$IC_PID_DIR"

# The Java 17 flags of the Flink distribution (env.java.opts.all), in the file the launcher and the tests use.
FLINK_JAVA_OPTS=("@$IC_HOME/conf/jvm-java17.args")

# The classpath of the cluster's "lib/": resolved once with Maven, again when a pom changes.
flink_classpath() {
  if cache_stale "$cluster_classpath_file" "$IC_HOME/flink-cluster/pom.xml" "$IC_HOME/pom.xml"; then
    build_in "$IC_HOME" build_cluster_classpath
  fi
  cat "$cluster_classpath_file"
}

build_cluster_classpath() {
  mvn -B -q -N install >/dev/null && mvn -B -q -pl flink-cluster generate-resources dependency:build-classpath \
      -Dmdep.outputFile="$cluster_classpath_file" && touch "$cluster_classpath_file"
}

# resource_params GET_JM_RESOURCE_PARAMS|GET_TM_RESOURCE_PARAMS: the JVM and dynamic memory settings that
# Flink derives from conf/config.yaml (what the distribution's jobmanager.sh/taskmanager.sh do).
resource_params() {
  java "${FLINK_JAVA_OPTS[@]}" -cp "$(flink_classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
      --configDir "$FLINK_CONF_DIR" 2>/dev/null | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# start_daemon NAME MAINCLASS RESOURCE_KIND: a background JVM with its log and pid file.
start_daemon() {
  local name="$1" main="$2" params jvm dynamic
  params="$(resource_params "$3")"
  jvm="$(echo "$params" | sed -n 1p)"
  dynamic="$(echo "$params" | sed -n 2p)"
  local log="$IC_LOG_DIR/flink-$name.log"
  # shellcheck disable=SC2086 # the derived settings are word lists
  nohup java "${FLINK_JAVA_OPTS[@]}" $jvm ${IC_DAEMON_OPTS:-} \
    "-Dlog.file=$log" "-Dlog4j.configurationFile=$FLINK_CONF_DIR/log4j.properties" \
    -cp "$(flink_classpath)" "$main" --configDir "$FLINK_CONF_DIR" $dynamic > "$IC_LOG_DIR/flink-$name.out" 2>&1 &
  echo $! > "$IC_PID_DIR/flink-$name.pid"
  echo "Started $name (pid $!, log $log)"
}

# The REST API of the cluster: rest.port of $FLINK_CONF_DIR/config.yaml (nested under "rest:" or flat),
# the port the JobManager and bin/flink use too; another port means another FLINK_CONF_DIR.
rest_url() {
  local port
  port="$(awk '/^rest\.port:/ { print $2; exit } /^rest:/ { r = 1; next } /^[^ #]/ { r = 0 }
      r && $1 == "port:" { print $2; exit }' "$FLINK_CONF_DIR/config.yaml")"
  echo "http://127.0.0.1:${port:-8081}"
}
