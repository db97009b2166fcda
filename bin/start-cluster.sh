#!/usr/bin/env bash
# Starts a standalone Flink session cluster on 127.0.0.1: one JobManager and TASKMANAGERS (default 2)
# TaskManagers, each its own JVM, configured by conf/config.yaml. Waits until the REST API answers.
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"
taskmanagers="${TASKMANAGERS:-2}"
start_daemon jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
for i in $(seq 1 "$taskmanagers"); do
  start_daemon "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
done
for _ in $(seq 1 60); do
  if registered=$(curl -sf "$(rest_url)/taskmanagers" 2>/dev/null) \
      && [ "$(echo "$registered" | grep -o '"id"' | wc -l)" -ge "$taskmanagers" ]; then
    echo "Cluster up: web UI $(rest_url), $taskmanagers TaskManagers"
    exit 0
  fi
  sleep 1
done
echo "start-cluster.sh: the cluster did not come up within 60 s; see $IC_LOG_DIR/flink-*.log" >&2
exit 1
