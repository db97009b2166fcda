#!/usr/bin/env bash
# Stops the TaskManagers and the JobManager started by bin/start-cluster.sh.
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"
shopt -s nullglob
for pidfile in "$IC_PID_DIR"/flink-taskmanager-*.pid "$IC_PID_DIR"/flink-jobmanager.pid; do
  pid="$(cat "$pidfile")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "Stopped $(basename "$pidfile" .pid) (pid $pid)"
  fi
  rm -f "$pidfile"
done
