#!/usr/bin/env bash
# Browser check of the Flink web UI: runs the job on the embedded cluster (sample data, CSV only), opens the
# job's page in headless Chromium driven by ChromeDriver (Debian's chromium and chromium-driver packages;
# installed if missing and we are root), saves a screenshot and checks that the rendered page shows the job
# name, its operators and a metric value that the REST API reports. Usage: scripts/webui-check.sh [screenshot.png]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
screenshot="$(realpath -m "${1:-log/webui-job.png}")"
port=8091
work="$(mktemp -d /tmp/ic-webui.XXXXXX)"
mkdir -p "$(dirname "$screenshot")" "$work/in"
if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null; then
  [ "$(id -u)" = 0 ] || { echo "webui-check: needs Debian's chromium and chromium-driver packages" >&2; exit 2; }
  apt-get install -y -q chromium chromium-driver > /dev/null
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
# The browser is driven through ChromeDriver (WebDriver): the dashboard is an Angular app that keeps
# polling, so "dump the DOM when loaded" never settles; WebDriver reads the page once it shows the job.
driver_port=9516
chromedriver --port="$driver_port" > "$work/chromedriver.log" 2>&1 &
driver=$!
trap 'kill $runner $driver 2>/dev/null || true; wait $runner $driver 2>/dev/null || true' EXIT
wd="http://127.0.0.1:$driver_port"
for _ in $(seq 1 50); do curl -sf "$wd/status" > /dev/null && break; sleep 0.2; done
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
session="$(curl -sf "$wd/session" -H 'Content-Type: application/json' -d '{"capabilities":{"alwaysMatch":{"browserName":"chrome",
  "goog:chromeOptions":{"binary":"/usr/bin/chromium","args":["--headless","--no-sandbox","--disable-gpu","--window-size=1600,1000",
  "--user-data-dir='"$work"'/chrome"]}}}}' | json "['value']['sessionId']")"
curl -sf "$wd/session/$session/url" -H 'Content-Type: application/json' -d "{\"url\":\"$url\"}" > /dev/null
shown=""
for _ in $(seq 1 60); do
  curl -sf "$wd/session/$session/source" | json "['value']" > "$work/page.html"
  if grep -q "Count files and drop unmatched" "$work/page.html" && grep -q ">\s*$sent\s*<" "$work/page.html"; then shown=yes; break; fi
  sleep 0.5
done
curl -sf "$wd/session/$session/screenshot" | json "['value']" | base64 -d > "$screenshot"
curl -sf -X DELETE "$wd/session/$session" > /dev/null || true
for expected in "impressions-clicks" "Count files and drop unmatched" "Daily reports" "RUNNING"; do
  grep -q "$expected" "$work/page.html" || { echo "FAILED: the page does not show '$expected' ($url)"; exit 1; }
done
[ -n "$shown" ] || { echo "FAILED: the page does not show the metric value $sent (Records Sent of the source)"; exit 1; }
[ -s "$screenshot" ] || { echo "FAILED: no screenshot"; exit 1; }
echo "PASSED: $url shows the job, its operators and Records Sent = $sent; screenshot $screenshot"
