#!/usr/bin/env bash
# End-to-end check of object storage on a real standalone cluster (README "Object storage"): an S3-compatible
# server (S3Proxy from Maven Central, in-memory, on 127.0.0.1), bin/start-cluster.sh with TASKMANAGERS=3 and
# Flink's S3 file system as a plugin, credentials only in the environment (AWS_ACCESS_KEY_ID/...), the job
# reading s3://.../raw_data and writing s3://.../output with checkpoints in the bucket; files before a
# stop-with-savepoint (savepoint in the bucket), files while the job is down, a restart from the savepoint,
# and then each closed day must have exactly one CSV in the bucket, equal to the generator's expected one.
# Runs on its own ports (REST, RPC) and folders, so another cluster on this machine is left alone.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
work="$(mktemp -d /tmp/ic-s3e2e.XXXXXX)"
bucket=impressions-clicks
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
s3_port="$(free_port)"; rest_port="$(free_port)"; rpc_port="$(free_port)"
export AWS_ACCESS_KEY_ID="e2e-local-access-key" AWS_SECRET_ACCESS_KEY="e2e-local-secret-key" # this local server only
export AWS_JAVA_V1_DISABLE_DEPRECATION_ANNOUNCEMENT=true # the S3 plugin's SDK prints a notice with a stack trace otherwise
export FLINK_CONF_DIR="$work/conf" IC_LOG_DIR="$work/log" IC_PID_DIR="$work/log" IC_REST_PORT="$rest_port"
s3proxy_pid=""

# s3 put FILE KEY | s3 list PREFIX | s3 get KEY | s3 mb: a minimal S3 client (AWS signature v2, path style).
s3() {
  python3 - "$s3_port" "$bucket" "$@" <<'EOF'
import base64, hashlib, hmac, os, sys, urllib.parse, urllib.request, email.utils, xml.etree.ElementTree as ET
port, bucket, op, *args = sys.argv[1:]
def call(method, path, query="", body=None):
    date = email.utils.formatdate(usegmt=True)
    kind = "application/octet-stream" if body is not None else ""
    sig = base64.b64encode(hmac.new(os.environ["AWS_SECRET_ACCESS_KEY"].encode(), f"{method}\n\n{kind}\n{date}\n{path}".encode(), hashlib.sha1).digest()).decode()
    headers = {"Date": date, "Authorization": f"AWS {os.environ['AWS_ACCESS_KEY_ID']}:{sig}"}
    if body is not None:
        headers["Content-Type"] = kind
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}{query}", data=body, method=method, headers=headers)
    return urllib.request.urlopen(req, timeout=30).read()
if op == "mb":
    call("PUT", f"/{bucket}")
elif op == "put":
    call("PUT", f"/{bucket}/{args[1]}", body=open(args[0], "rb").read())
elif op == "get":
    sys.stdout.write(call("GET", f"/{bucket}/{args[0]}").decode())
elif op == "list":
    xml = ET.fromstring(call("GET", f"/{bucket}/", "?prefix=" + urllib.parse.quote(args[0])))
    for key in xml.iter("{http://s3.amazonaws.com/doc/2006-03-01/}Key"):
        print(key.text)
EOF
}

cleanup() {
  bin/stop-cluster.sh > /dev/null 2>&1 || true
  if [ -n "$s3proxy_pid" ]; then kill "$s3proxy_pid" 2> /dev/null || true; fi
}
trap cleanup EXIT

echo "== build the job jar, the launcher classpath and the S3 plugin, and S3Proxy (of integration-tests)"
./impressions-clicks --help > /dev/null 2>&1 || true
mvn -B -q -DskipTests package -pl flink-job,integration-tests -am 2>&1 | sed "s/\x1b\[[0-9;]*m//g"
jar=flink-job/target/impressions-clicks-job.jar

echo "== S3Proxy on 127.0.0.1:$s3_port"
cat > "$work/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=transient
jclouds.identity=unused
jclouds.credential=unused
EOF
java -DLOG_LEVEL=warn -jar integration-tests/target/s3proxy/s3proxy.jar --properties "$work/s3proxy.properties" > "$work/s3proxy.log" 2>&1 &
s3proxy_pid=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break; sleep 0.5; done
s3 mb

echo "== conf/ for this run: S3 endpoint, checkpoints and savepoints in the bucket, own ports (REST $rest_port)"
cp -r conf "$work/conf"
sed -i -e "s#^  port: 8081#  port: $rest_port#" \
  -e "s#^  rpc:#  rpc:\n    port: $rpc_port#" \
  -e "s#dir: file:///tmp/impressions-clicks/checkpoints#dir: s3://$bucket/checkpoints#" \
  -e "s#savepoint-dir: file:///tmp/impressions-clicks/savepoints#savepoint-dir: s3://$bucket/savepoints#" "$work/conf/config.yaml"
printf 's3:\n  endpoint: http://127.0.0.1:%s\n  path.style.access: true\n' "$s3_port" >> "$work/conf/config.yaml"
grep -q "port: $rest_port" "$work/conf/config.yaml" && grep -q "dir: s3://$bucket/checkpoints" "$work/conf/config.yaml" \
  || { echo "FAILED: could not rewrite conf/config.yaml"; exit 1; }

generate() { # generate NAME START DAYS SEED: files made locally, then uploaded whole, one PUT each
  ./impressions-clicks generate --out "$work/stage-$1" --files 6 --rows-per-file 30 --start "$2" --days "$3" --seed "$4" \
    --expected "$work/expected" > /dev/null
  for f in "$work/stage-$1"/*.parquet; do s3 put "$f" "raw_data/$(basename "$f")"; done
}

echo "== TASKMANAGERS=3 bin/start-cluster.sh"
TASKMANAGERS=3 bin/start-cluster.sh
args=(--input "s3://$bucket/raw_data" --output "s3://$bucket/output" --no-db --monitor-interval "1 s" --idle-timeout "5 s")
echo "== bin/flink run -d -p 3 (input, output, checkpoints in s3://$bucket)"
bin/flink run -d -p 3 "$jar" "${args[@]}" | grep "JobID"
job="$(bin/flink list 2>/dev/null | grep -o '[0-9a-f]\{32\}' | head -1)"
generate a 2022-05-26 1 21
for _ in $(seq 1 60); do s3 list "checkpoints/$job/chk-" | grep -q _metadata && break; sleep 1; done
s3 list "checkpoints/$job/chk-" | grep -q _metadata || { echo "FAILED: no completed checkpoint in the bucket"; exit 1; }
echo "   checkpoints in the bucket: $(s3 list "checkpoints/$job/" | grep -c _metadata) completed"
echo "== bin/flink stop (savepoint into s3://$bucket/savepoints)"
savepoint="$(bin/flink stop "$job" | grep -o 's3://[^ ]*' | tail -1)"
echo "   savepoint: $savepoint"
[ -n "$savepoint" ] && s3 list "${savepoint#s3://$bucket/}/" | grep -q _metadata || { echo "FAILED: no savepoint in the bucket"; exit 1; }
generate b 2022-05-27 1 22 # arrives while the job is down
echo "== bin/flink run -d -s <savepoint> -p 3"
bin/flink run -d -s "$savepoint" -p 3 "$jar" "${args[@]}" | grep "JobID"
generate c 2022-05-28 1 23 # closes 2022-05-26 and 2022-05-27

csvs_written() {
  for day in 2022-05-26 2022-05-27; do
    mapfile -t keys < <(s3 list "output/$day/" | grep -v '/\.' || true)
    [ "${#keys[@]}" -eq 1 ] && [ "$(s3 get "${keys[0]}")" = "$(cat "$work/expected/$day.csv")" ] || return 1
  done
}
for _ in $(seq 1 120); do csvs_written && break; sleep 1; done
csvs_written || { echo "FAILED: the CSVs of 2022-05-26 and 2022-05-27 in the bucket"; s3 list output/; exit 1; }
job="$(bin/flink list 2>/dev/null | grep -o '[0-9a-f]\{32\}' | head -1)"
bin/flink cancel "$job" > /dev/null
echo "PASSED: 2 closed days in s3://$bucket/output, one CSV each equal to the expected one; 3 TaskManagers, checkpoints and the savepoint in the bucket, files before, during and after the stop counted exactly once"
