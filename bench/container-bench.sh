#!/usr/bin/env bash
# Benchmark for `dockaudit container` (issue 6): 50 running containers from 5 images on a dockerd of its own, then
# `dockaudit container --all` timed whole, and the part outside the image audits (the listing, every inspect, /top
# and exec read, the runtime checks, from the report's own stats), and `--scanners runtime` (no image audit) as a
# whole run. Target: the part outside image audits at most 2 s, with each image audited once (counted from the report).
#   bench/container-bench.sh [WORKDIR]   (default /tmp/dockaudit-bench-containers; needs root for dockerd)
# RUNS=N repeats each measurement N times (default 5) and prints medians. DOCKER_HOST=unix://… uses that daemon
# instead of starting one; every container it runs is audited too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/dockaudit-bench-containers}
runs=${RUNS:-5}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
mkdir -p "$work"
(cd "$root" && ./dockaudit --version >/dev/null)

started=""
if [ -z "${DOCKER_HOST:-}" ]; then
  started="$work/env"
  # ports of its own, so it runs beside a test environment
  DOCKAUDIT_IT_PORT_PLAIN=5300 DOCKAUDIT_IT_PORT_BASIC=5301 DOCKAUDIT_IT_PORT_TOKEN=5302 DOCKAUDIT_IT_PORT_TLS=5343 \
  DOCKAUDIT_IT_PORT_TOKEN_SERVER=5756 DOCKAUDIT_IT_PORT_DOCKER_TLS=23960 "$root/scripts/test-env" up "$started" >/dev/null 2>&1
  # shellcheck disable=SC1091
  source "$started/env"
  export DOCKER_HOST=$DOCKAUDIT_IT_DOCKER_HOST
fi
docker=${DOCKAUDIT_IT_DOCKER_CLI:-docker}
cleanup() {
  "$docker" rm -f $("$docker" ps -aq --filter name=da-rt-bench-) >/dev/null 2>&1 || true
  for i in 1 2 3 4 5; do "$docker" rmi -f "da-rt-bench-img$i:1" >/dev/null 2>&1 || true; done
  if [ -n "$started" ]; then "$root/scripts/test-env" down "$started" >/dev/null 2>&1 || true; rm -rf "$started"; fi
}
trap cleanup EXIT

rootfs="$root/src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz"
for i in 1 2 3 4 5; do
  "$docker" import --change "ENV BENCH_IMAGE=$i" --change 'CMD ["sleep", "3600"]' "$rootfs" "da-rt-bench-img$i:1" >/dev/null
done
# 10 containers per image, with a spread of settings (so the checks have something to find)
flags=("" "--read-only" "--cap-add SYS_ADMIN" "--pids-limit 64 --memory 64m" "--user 1000:1000"
       "--security-opt no-new-privileges" "-e API_TOKEN=bench-not-a-secret" "--cap-drop ALL" "--restart always" "--ipc host")
n=0
for i in 1 2 3 4 5; do
  for j in $(seq 0 9); do
    n=$((n + 1))
    # shellcheck disable=SC2086
    "$docker" run -d --network none --name "da-rt-bench-$n" ${flags[$j]} "da-rt-bench-img$i:1" sleep 3600 >/dev/null
  done
done
running=$("$docker" ps -q --filter name=da-rt-bench- | wc -l)

full_wall=(); outside=(); images_ms=(); runtime_wall=()
report="$work/report.json"
"$root/dockaudit" container --all --format json --no-progress >"$report" || true  # warm-up (and the jar's page cache)
for _ in $(seq "$runs"); do
  t0=$(now)
  "$root/dockaudit" container --all --format json --no-progress >"$report" || true
  t1=$(now)
  full_wall+=("$(echo "$t1 - $t0" | bc)")
  outside+=("$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["stats"]; print(s["runtimeMillis"]/1000)' "$report")")
  images_ms+=("$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["stats"]; print(s["imageAuditMillis"]/1000)' "$report")")
  t0=$(now)
  "$root/dockaudit" container --all --scanners runtime --format json --no-progress >/dev/null || true
  t1=$(now)
  runtime_wall+=("$(echo "$t1 - $t0" | bc)")
done
counts=$(python3 -c '
import json,sys
r=json.load(open(sys.argv[1])); s=r["stats"]
per=[len(i["containers"]) for i in r["images"]]
print("%d containers, %d distinct images, %d image audits (containers per image: %s)" % (s["containers"], s["distinctImages"], s["imagesAudited"], per))
' "$report")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $running running containers on $("$docker" version --format '{{.Server.Version}}')"
echo "report: $counts"
printf "%-58s median %6.3f s (runs: %s)\n" "container --all (whole run, JVM start included)" "$(median "${full_wall[@]}")" "${full_wall[*]}"
printf "%-58s median %6.3f s (runs: %s)\n" "  image audits (each distinct image once)" "$(median "${images_ms[@]}")" "${images_ms[*]}"
printf "%-58s median %6.3f s (runs: %s)\n" "  outside the image audits (in the run, from its stats)" "$(median "${outside[@]}")" "${outside[*]}"
printf "%-58s median %6.3f s (runs: %s)\n" "container --all --scanners runtime (whole run, no image)" "$(median "${runtime_wall[@]}")" "${runtime_wall[*]}"
