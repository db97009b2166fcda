#!/usr/bin/env bash
# Chaos check of the restart strategy in conf/config.yaml on a real standalone cluster (README "Operate"):
# a private PostgreSQL on a free port, a cluster of 3 TaskManagers on free ports, the job watching a folder
# into which one day of files lands every BATCH_SECONDS for the whole run. Fault 1: kill -9 of the
# TaskManager that runs the job's tasks. Fault 2: PostgreSQL stopped for OUTAGE_SECONDS (default 600).
# Passes if the job never reaches FAILED, recovers by itself from both, and in the end PostgreSQL holds the
# generator's counts of every hour and each closed day has exactly one CSV equal to the expected one.
# Prints the recovery times and restart counts. Usage: [OUTAGE_SECONDS=600] [BATCH_SECONDS=5] scripts/chaos-e2e.sh
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
outage="${OUTAGE_SECONDS:-600}"
batch_seconds="${BATCH_SECONDS:-5}"
files_per_day=4
work="$(mktemp -d /tmp/ic-chaos.XXXXXX)"
chmod 755 "$work" # the PostgreSQL server runs as the unprivileged user postgres
passed=0
feeder=""
watcher=""

log() { echo "$(date +%H:%M:%S) $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
fail() { log "FAILED: $*"; exit 1; }
taken_ports=""
free_port() { # a port nobody listens on, not handed out before by this script
  local port
  while :; do
    port="$(shuf -i 20000-39999 -n 1)"
    [[ " $taken_ports " == *" $port "* ]] && continue
    [ -z "$(ss -Htln "sport = :$port")" ] && { taken_ports="$taken_ports $port"; echo "$port"; return; }
  done
}

# ---- PostgreSQL of its own (never the machine's server on 5432) ----
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$pg_bin/initdb" ] || pg_bin="$(pg_config --bindir)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_port="$(free_port)"
pgdata="$work/pg/data"
pg_start() {
  as_pg "$pg_bin/pg_ctl" -D "$pgdata" -l "$work/pg/server.log" -w -t 120 \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start > /dev/null
}
pg_stop() { as_pg "$pg_bin/pg_ctl" -D "$pgdata" -m fast -w -t 120 stop > /dev/null; }
psql_q() { psql -h 127.0.0.1 -p "$pg_port" -U postgres chaos -qtAc "$1"; }
table=chaos_hourly

# ---- the cluster: conf/ with its own ports and checkpoint folders, logs and pid files under $work ----
rest_port="$(free_port)"
rpc_port="$(free_port)"
mkdir -p "$work/conf" "$work/log"
cp -r conf/. "$work/conf/"
sed -i -e "s|^  port: 8081\$|  port: $rest_port|" \
  -e "s|^    address: 127.0.0.1\$|&\n    port: $rpc_port|" \
  -e "s|file:///tmp/impressions-clicks/|file://$work/flink/|" "$work/conf/config.yaml"
grep -q "^  port: $rest_port\$" "$work/conf/config.yaml" && grep -q "^    port: $rpc_port\$" "$work/conf/config.yaml" \
  && ! grep -q "/tmp/impressions-clicks/" "$work/conf/config.yaml" || fail "could not set the ports in $work/conf/config.yaml"
export FLINK_CONF_DIR="$work/conf" IC_LOG_DIR="$work/log" IC_PID_DIR="$work/log"
rest="http://127.0.0.1:$rest_port"
api() { curl -sf --max-time 5 "$rest$1"; }
job=""
job_json() { api "/jobs/$job"; }
# the job and every task of every vertex RUNNING, the job's last switch to RUNNING after time $1 (epoch s)
all_running() {
  job_json | jq -e --argjson t "${1:-0}" '.state == "RUNNING" and .timestamps.RUNNING > $t * 1000
    and all(.vertices[]; .tasks.RUNNING == .parallelism)' > /dev/null 2>&1
}
restarts() { # the REST API answers from a cache that this request refreshes: ask, wait, ask again
  api "/jobs/$job/metrics?get=numRestarts" > /dev/null || true
  sleep 2
  api "/jobs/$job/metrics?get=numRestarts" | jq -r '.[0].value // "?"' || echo "?"
}
minus() { [[ "$1$2" =~ ^[0-9]+$ ]] && echo $(( $1 - $2 )) || echo "?"; } # of two restart counts, or ?

# ---- the data: one generator run makes every day's files and the expected CSVs; the feeder moves one
# day's files into the watched folder every BATCH_SECONDS (rename), so each batch closes the day before.
# Days from 2020-03-30 on, clear of the spring DST gap, where a wall-clock file time does not exist.
pool_days=$(( (outage + 1500) / batch_seconds ))
[ "$pool_days" -le 362 ] || pool_days=362
generate() {
  ./impressions-clicks generate --out "$work/pool" --files $((pool_days * files_per_day)) --rows-per-file 40 --start 2020-03-30 \
    --days "$pool_days" --seed 8 --expected "$work/expected" > /dev/null
}
feed() {
  local day
  for day in $(ls "$work/pool" | sed 's/.*_dk_\([0-9]\{8\}\).*/\1/' | sort -u); do
    [ -e "$work/stop-feeding" ] && return 0
    mv "$work/pool/"*_dk_"$day"*.parquet "$work/in/"
    echo "${day:0:4}-${day:4:2}-${day:6:2} $(now)" >> "$work/landed"
    sleep "$batch_seconds"
  done
  echo "   (the feeder ran out of days: $pool_days)" >&2
}
landed_days() { cut -d' ' -f1 "$work/landed"; }
expected_rows() { # the expected rows of the given days
  local day
  for day in "$@"; do tail -n +2 "$work/expected/$day.csv"; done | awk -F, '{printf "%s %s:00:00|%s|%s\n", $1, $2, $3, $4}' | sort
}
actual_rows() { psql_q "SELECT datetime, impression_count, click_count FROM $table ORDER BY 1" 2> /dev/null | sort; }
holds_days() { # PostgreSQL holds the expected counts of these days (and maybe more)
  [ -z "$(comm -23 <(expected_rows "$@") <(actual_rows))" ]
}
# every job state seen, with the time: the job must never be FAILED
watch_states() {
  local last="" state
  while :; do
    state="$(job_json | jq -r .state 2> /dev/null || echo unreachable)"
    [ "$state" != "$last" ] && echo "$(date +%H:%M:%S) $state" >> "$work/states" && last="$state"
    sleep 1
  done
}
never_failed() { ! grep -q ' FAILED$' "$work/states"; }
# Files land in time order, so none may be late: a late file's counts are dropped for good.
no_late_files() {
  local late
  late="$(psql_q "SELECT count(*) FROM chaos_audit WHERE status = 'late'" 2> /dev/null || echo 0)"
  [ "${late:-0}" = 0 ] && return 0
  psql_q "SELECT file || ': ' || reason FROM chaos_audit WHERE status = 'late' ORDER BY file LIMIT 5" | sed 's/^/   /' || true
  grep -h "Late file" "$work"/log/flink-taskmanager-*.log | awk 'NR <= 3' | cut -c1-400 | sed 's/^/   /' || true
  fail "the job counted $late files as late (dropped) though they landed in time order"
}

cleanup() {
  [ -n "$feeder" ] && kill "$feeder" 2> /dev/null || true
  [ -n "$watcher" ] && kill "$watcher" 2> /dev/null || true
  bin/stop-cluster.sh > /dev/null 2>&1 || true
  [ -f "$pgdata/postmaster.pid" ] && { pg_stop || kill "$(head -1 "$pgdata/postmaster.pid")" 2> /dev/null || true; }
  if [ "$passed" = 1 ]; then
    rm -rf "$work"
  else
    rm -rf "$work/pg" "$work/pool" "$work/in" "$work/flink"
    echo "kept for reading: $work (cluster logs in $work/log, job states in $work/states)"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

log "== build the job jar and the launcher classpath"
./impressions-clicks --help > /dev/null 2>&1 || true
mvn -B -q -DskipTests package -pl flink-job -am 2>&1 | sed "s/\x1b\[[0-9;]*m//g"
cp flink-job/target/impressions-clicks-job.jar "$work/job.jar"
log "== generate $pool_days days x $files_per_day files (fed one day every $batch_seconds s)"
generate

log "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') of its own on 127.0.0.1:$pg_port"
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pg"
as_pg "$pg_bin/initdb" -D "$pgdata" -A trust -U postgres > "$work/pg/initdb.log" 2>&1 || fail "initdb: $(tail -3 "$work/pg/initdb.log")"
pg_start
psql -h 127.0.0.1 -p "$pg_port" -U postgres postgres -qc "CREATE DATABASE chaos"

log "== TASKMANAGERS=3 bin/start-cluster.sh (REST port $rest_port, RPC port $rpc_port, logs in $work/log)"
TASKMANAGERS=3 bin/start-cluster.sh | sed 's/^/   /'
mkdir -p "$work/in" "$work/out"
log "== bin/flink run -d job.jar"
job="$(bin/flink run -d "$work/job.jar" --input "$work/in" --output "$work/out" \
  --jdbc-url "jdbc:postgresql://127.0.0.1:$pg_port/chaos" --jdbc-table "$table" --audit-table chaos_audit \
  | grep -o 'JobID [0-9a-f]\{32\}' | cut -d' ' -f2 || true)"
[ -n "$job" ] || fail "the job was not submitted; see $work/log/flink-client.log"
log "   job $job"
watch_states &
watcher=$!
for _ in $(seq 1 120); do all_running 0 && break; sleep 1; done
all_running 0 || fail "the job is not running after 120 s"
: > "$work/landed"
feed &
feeder=$!
log "== files landing: one day every $batch_seconds s; waiting until PostgreSQL follows"
sleep 20 # a few days landed
for _ in $(seq 1 120); do mapfile -t days < <(landed_days); holds_days "${days[@]}" && break; sleep 1; done
holds_days "${days[@]}" || fail "PostgreSQL does not follow the files before any fault"
log "   ${#days[@]} days in PostgreSQL"

# ---- fault 1: kill -9 of the TaskManager that runs most of the job's tasks ----
declare -A tasks_on
for vertex in $(job_json | jq -r '.vertices[].id'); do
  for tm in $(api "/jobs/$job/vertices/$vertex/taskmanagers" | jq -r '.taskmanagers[] | .["taskmanager-id"]'); do
    tasks_on[$tm]=$(( ${tasks_on[$tm]:-0} + 1 ))
  done
done
victim="$(for tm in "${!tasks_on[@]}"; do echo "${tasks_on[$tm]} $tm"; done | sort -rn | awk 'NR == 1 { print $2 }')"
[ -n "$victim" ] || fail "no TaskManager runs the job's tasks"
data_port="$(api "/taskmanagers/$victim" | jq -r .dataPort || true)"
victim_pid="$(ss -Htlnp "sport = :${data_port:-0}" | grep -o 'pid=[0-9]*' | awk -F= 'NR == 1 { print $2 }' || true)"
victim_file="$(grep -lx "$victim_pid" "$work"/log/flink-taskmanager-*.pid || true)"
[ -n "$victim_pid" ] && [ -n "$victim_file" ] || fail "TaskManager $victim (data port $data_port) is not one of ours"
log "== fault 1: kill -9 $(basename "$victim_file" .pid) (pid $victim_pid, $victim, runs ${tasks_on[$victim]} of the job's $(job_json | jq '[.vertices[].parallelism] | add') tasks)"
kill_time="$(now)"
kill -9 "$victim_pid"
rm -f "$victim_file" # its pid may be reused: stop-cluster.sh must not kill it
running_after=""
recovered_after=""
for _ in $(seq 1 600); do
  if [ -z "$running_after" ] && all_running "$kill_time"; then
    running_after="$(since "$kill_time")"
    mapfile -t days < <(landed_days) # including those landed since the kill
    log "   job and all its tasks RUNNING again after $running_after s; waiting for the ${#days[@]} days landed so far"
  fi
  no_late_files
  if [ -n "$running_after" ] && holds_days "${days[@]}" && all_running "$kill_time"; then
    recovered_after="$(since "$kill_time")"
    break
  fi
  sleep 0.5
done
[ -n "$recovered_after" ] || fail "no recovery within 300 s of the kill (job state $(job_json | jq -r .state))"
killed_days_after="$(awk -v k="$kill_time" '$2 > k' "$work/landed" | wc -l)"
log "   recovered after $recovered_after s: PostgreSQL holds every day landed, $killed_days_after of them since the kill"
never_failed || fail "the job reached FAILED after the kill: $(tr '\n' ' ' < "$work/states")"

sleep 15 # the metric of the REST API is refreshed every 10 s
restarts_before="$(restarts)"
# ---- fault 2: PostgreSQL down for OUTAGE_SECONDS while files keep landing ----
log "== fault 2: pg_ctl stop -m fast, for $outage s (numRestarts now $restarts_before)"
pg_stop
outage_start="$(now)"
while [ "$(since "$outage_start" | cut -d. -f1)" -lt "$outage" ]; do
  never_failed || fail "the job reached FAILED during the outage: $(tr '\n' ' ' < "$work/states")"
  sleep 5
done
restarts_outage="$(restarts)"
mapfile -t days < <(landed_days)
pg_start
pg_time="$(now)"
log "== PostgreSQL started again (numRestarts now $restarts_outage: $(minus "$restarts_outage" "$restarts_before") restarts during the outage)"
landed_in_outage="$(awk -v a="$outage_start" -v b="$pg_time" '$2 > a && $2 < b' "$work/landed" | wc -l)"
pg_running_after=""
pg_recovered_after=""
for _ in $(seq 1 900); do
  [ -z "$pg_running_after" ] && all_running "$outage_start" && pg_running_after="$(since "$pg_time")" \
    && log "   job and all its tasks RUNNING again after $pg_running_after s"
  no_late_files
  [ -z "$pg_recovered_after" ] && holds_days "${days[@]}" && pg_recovered_after="$(since "$pg_time")"
  [ -n "$pg_recovered_after" ] && [ -n "$pg_running_after" ] && break
  sleep 1
done
[ -n "$pg_running_after" ] || fail "the job is not RUNNING with all its tasks 900 s after PostgreSQL is back (job state $(job_json | jq -r .state))"
[ -n "$pg_recovered_after" ] || fail "PostgreSQL lacks the files landed up to its restart 900 s later (job state $(job_json | jq -r .state))"
log "   recovered after $pg_recovered_after s: PostgreSQL holds every day landed up to its restart (${#days[@]} days, $landed_in_outage during the outage)"
never_failed || fail "the job reached FAILED: $(tr '\n' ' ' < "$work/states")"

log "== a minute more of files, then stop feeding"
sleep 60
touch "$work/stop-feeding"
wait "$feeder" || true
feeder=""
mapfile -t days < <(landed_days)
log "   ${#days[@]} days landed in all; waiting for PostgreSQL and the CSVs"
pg_exact() { [ "$(actual_rows)" = "$(expected_rows "${days[@]}")" ]; }
for _ in $(seq 1 300); do no_late_files; pg_exact && break; sleep 1; done
pg_exact || { diff <(expected_rows "${days[@]}") <(actual_rows) | awk 'NR <= 20'; fail "PostgreSQL rows differ from the generator's counts"; }
# closed days (all but the newest): exactly one visible CSV each, equal to the expected one
closed=("${days[@]:0:${#days[@]}-1}")
csvs_written() {
  local day files
  for day in "${closed[@]}"; do
    files=("$work/out/$day"/day-*.csv)
    [ -f "${files[0]}" ] && [ "${#files[@]}" -eq 1 ] && cmp -s "${files[0]}" "$work/expected/$day.csv" || { echo "$day"; return 1; }
  done
}
for _ in $(seq 1 300); do csvs_written > /dev/null && break; sleep 1; done
if ! bad="$(csvs_written)"; then
  ls -la "$work/out/$bad" 2>&1 | sed 's/^/   /' || true
  fail "the CSVs of the closed day $bad (of ${#closed[@]} closed days)"
fi
all_running 0 || fail "the job is not RUNNING at the end: $(job_json | jq -r .state)"
never_failed || fail "the job reached FAILED: $(tr '\n' ' ' < "$work/states")"
log "   job states seen: $(tr '\n' ',' < "$work/states" | sed 's/,$//; s/,/, /g')"
passed=1
log "PASSED: ${#days[@]} days ($(actual_rows | wc -l) hours) exact in PostgreSQL, ${#closed[@]} closed days with one CSV each;" \
  "TaskManager kill -9: restarts $restarts_before, recovered in $recovered_after s (tasks RUNNING after $running_after s);" \
  "PostgreSQL down $outage s: restarts $(minus "$restarts_outage" "$restarts_before"), recovered in $pg_recovered_after s" \
  "after its restart (tasks RUNNING after $pg_running_after s); restarts in all $(restarts), never FAILED"
