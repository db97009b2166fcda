#!/usr/bin/env bash
# End-to-end check of the operator's sequence on a real standalone cluster (README "Operate"):
# start the cluster, submit the job jar, drop files, stop with a savepoint, drop more files while the
# job is down, redeploy a rebuilt jar from the savepoint, drop more files, and check that PostgreSQL
# and the CSVs hold every file's events exactly once. Needs PostgreSQL on 127.0.0.1:5432 (database test).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
work="$(mktemp -d /tmp/ic-e2e.XXXXXX)"
jdbc="jdbc:postgresql://127.0.0.1:5432/test"
table="e2e_hourly_$$"
audit="e2e_audit_$$"
psql_q() { psql -h 127.0.0.1 -U postgres test -qtAc "$1"; }
generate() { # generate NAME START DAYS SEED: files into a staging folder, then moved into the watched one
  ./impressions-clicks generate --out "$work/stage-$1" --files 6 --rows-per-file 30 --start "$2" --days "$3" --seed "$4" \
    --expected "$work/expected" > /dev/null
  mv "$work/stage-$1"/*.parquet "$work/in/"
}
expected_rows() { tail -q -n +2 "$work"/expected/*.csv | awk -F, '{printf "%s %s:00:00|%s|%s\n", $1, $2, $3, $4}' | sort; }
actual_rows() { psql_q "SELECT datetime, impression_count, click_count FROM $table ORDER BY 1" | sort; }
await_rows() {
  for _ in $(seq 1 60); do [ "$(actual_rows)" = "$(expected_rows)" ] && return 0; sleep 1; done
  echo "FAILED: PostgreSQL rows differ from the generator's counts"; diff <(expected_rows) <(actual_rows) || true; exit 1
}
cleanup() { bin/stop-cluster.sh > /dev/null 2>&1 || true; psql_q "DROP TABLE IF EXISTS $table; DROP TABLE IF EXISTS $audit" || true; }
trap cleanup EXIT

mkdir -p "$work/in" "$work/out" "$work/savepoints"
echo "== build the job jar and the launcher classpath"
./impressions-clicks --help > /dev/null 2>&1 || true
mvn -B -q -DskipTests package -pl flink-job -am 2>&1 | sed "s/\x1b\[[0-9;]*m//g"
cp flink-job/target/impressions-clicks-job.jar "$work/job-v1.jar"
echo "== bin/start-cluster.sh"
bin/start-cluster.sh
args=(--input "$work/in" --output "$work/out" --jdbc-url "$jdbc" --jdbc-table "$table" --audit-table "$audit")
echo "== bin/flink run -d job-v1.jar"
bin/flink run -d "$work/job-v1.jar" "${args[@]}" | grep "JobID"
job="$(bin/flink list 2>/dev/null | grep -o '[0-9a-f]\{32\}' | head -1)"
generate a 2022-05-26 1 21
await_rows
echo "   rows of batch a in PostgreSQL: $(actual_rows | wc -l)"
echo "== bin/flink savepoint (the job keeps running)"
bin/flink savepoint "$job" "file://$work/savepoints" | grep -o 'file:[^ ]*' | tail -1 | sed 's/^/   savepoint: /'
[ "$(bin/flink list 2>/dev/null | grep -c "$job.*RUNNING")" = 1 ] || { echo "FAILED: the job is not running after the savepoint"; exit 1; }
echo "== bin/flink stop --savepointPath"
savepoint="$(bin/flink stop --savepointPath "file://$work/savepoints" "$job" | grep -o 'file:[^ ]*' | tail -1)"
echo "   savepoint: $savepoint"
generate b 2022-05-27 1 22 # arrives while the job is down
echo "== rebuild the jar (the newer version) and bin/flink run -s <savepoint> -p 3 (rescaled from 2)"
mvn -B -q -DskipTests package -pl flink-job -am 2>&1 | sed "s/\x1b\[[0-9;]*m//g"
cp flink-job/target/impressions-clicks-job.jar "$work/job-v2.jar"
bin/flink run -d -s "$savepoint" -p 3 "$work/job-v2.jar" "${args[@]}" | grep "JobID"
generate c 2022-05-28 1 23
await_rows
# closed days: exactly one file each, equal to the expected CSV. A day is written once the watermark has
# passed it, which may wait for the idle timeout of a source subtask that got none of the new files.
csvs_written() {
  for day in 2022-05-26 2022-05-27; do
    files=("$work/out/$day"/day-*.csv)
    [ -f "${files[0]}" ] && [ "${#files[@]}" -eq 1 ] && diff -q "${files[0]}" "$work/expected/$day.csv" > /dev/null || return 1
  done
}
for _ in $(seq 1 120); do csvs_written && break; sleep 1; done
csvs_written || { echo "FAILED: the CSVs of 2022-05-26 and 2022-05-27"; ls -R "$work/out"; exit 1; }
job="$(bin/flink list 2>/dev/null | grep -o '[0-9a-f]\{32\}' | head -1)"
bin/flink cancel "$job" > /dev/null
echo "PASSED: $(actual_rows | wc -l) hours over 3 days, files before and after the redeploy counted exactly once"
