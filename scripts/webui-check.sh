#!/usr/bin/env bash
# Browser check of the Flink web UI: runs the job on the embedded cluster (sample data, CSV only), opens the
# job's page in headless Chromium (Debian's chromium package; installed if missing and we are root), saves a
# screenshot and checks that the rendered page shows the job name, its operators and a metric value that
# the REST API reports. Usage: scripts/webui-check.sh [screenshot.png]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
screenshot="$(realpath -m "${1:-log/webui-job.png}")"
port=8091
work="$(mktemp -d /tmp/ic-webui.XXXXXX)"
mkdir -p "$(dirname "$screenshot")" "$work/in"
if ! command -v chromium > /dev/null; then
  [ "$(id -u)" = 0 ] || { echo "webui-check: needs Debian's chromium package (apt-get install chromium)" >&2; exit 2; }
  apt-get install -y -q chromium > /dev/null
fi
cp raw_data/*.parquet "$work/in/"
./impressions-clicks run --no-db --web-port "$port" --input "$work/in" --output "$work/out" > "$work/run.log" 2>&1 &
runner=$!
trap 'kill $runner 2>/dev/null || true; wait $runner 2>/dev/null || true' EXIT
rest="http://127.0.0.1:$port"
job=""
for _ in $(seq 1 180); do
  job="$(curl -sf "$rest/jobs/overview" 2>/dev/null | grep -o '"jid":"[0-9a-f]*"[^}]*"state":"RUNNING"' | grep -o '[0-9a-f]\{32\}' || true)"
  [ -n "$job" ] && break
  sleep 1
done
[ -n "$job" ] || { echo "FAILED: the job did not start; see $work/run.log"; exit 1; }
# wait until the source vertex has written records (so the overview has a metric value to show)
sent=0
for _ in $(seq 1 60); do
  sent="$(curl -sf "$rest/jobs/$job" | grep -o '"write-records":[0-9]*' | head -1 | cut -d: -f2)"
  [ "${sent:-0}" -gt 0 ] && break
  sleep 1
done
url="$rest/#/job/running/$job/overview"
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$work/chrome" --window-size=1600,1000 --virtual-time-budget=15000)
"${chrome[@]}" --screenshot="$screenshot" "$url" > /dev/null 2>&1
"${chrome[@]}" --dump-dom "$url" 2> /dev/null > "$work/page.html"
for expected in "impressions-clicks" "Count files and drop unmatched" "Daily reports" "RUNNING"; do
  grep -q "$expected" "$work/page.html" || { echo "FAILED: the page does not show '$expected' ($url)"; exit 1; }
done
grep -q ">\s*$sent\s*<" "$work/page.html" || { echo "FAILED: the page does not show the metric value $sent"; exit 1; }
[ -s "$screenshot" ] || { echo "FAILED: no screenshot"; exit 1; }
echo "PASSED: $url shows the job, its operators and Records Sent = $sent; screenshot $screenshot"
