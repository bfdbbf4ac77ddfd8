#!/usr/bin/env bash
# Benchmark for `dockaudit digests` (issue 2): verifying a large image must run close to the machine's
# hashing limit. Builds a real >=500 MB image with dockerd (two layers of real files from this machine),
# saves it with `docker save` (uncompressed layers) and copies it with skopeo into an OCI layout with
# gzip layers, then times, in alternating pairs after a warm-up:
#
#   A  java -Xmx128m -jar target/dockaudit.jar digests docker-archive:big.tar
#   B  sha256sum big.tar                                   (hashing the same bytes once)
#
#   A' java -Xmx128m -jar target/dockaudit.jar digests oci:big-oci
#   B' sha256sum of every blob + gzip -dc LAYER | sha256sum for each compressed layer
#
# and prints the median of the per-pair ratios A/B, plus dockaudit's peak RSS. Usage:
#   bench/digests-bench.sh [WORKDIR]        (default /tmp/dockaudit-bench; needs ~3 GB free)
# It uses $DOCKER_HOST when a daemon answers there, else starts one with scripts/test-env.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/dockaudit-bench}
pairs=${PAIRS:-7}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
mkdir -p "$work"
jar="$root/target/dockaudit.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)

started=""
if [ -z "${DOCKER_HOST:-}" ] || ! curl -sf --unix-socket "${DOCKER_HOST#unix://}" http://d/_ping >/dev/null 2>&1; then
  started="$work/env-run"
  "$root/scripts/test-env" up "$started" >/dev/null
  # shellcheck disable=SC1091
  source "$started/env"
  export DOCKER_HOST=$DOCKAUDIT_IT_DOCKER_HOST
  trap '"$root/scripts/test-env" down "$started"' EXIT
fi
docker=${DOCKAUDIT_IT_DOCKER_CLI:-docker}

if [ ! -f "$work/big.tar" ]; then
  echo "building the benchmark image (real files: /usr/lib/jvm, /usr/lib/x86_64-linux-gnu subset)..." >&2
  tar -C /usr/lib -cf - jvm | "$docker" import - da-bench/base:1 >/dev/null
  ctx="$work/ctx"; rm -rf "$ctx"; mkdir -p "$ctx/data"
  cp -r /usr/lib/x86_64-linux-gnu/perl* /usr/lib/x86_64-linux-gnu/gconv "$ctx/data/" 2>/dev/null || true
  cp -r /usr/share/doc "$ctx/data/" 2>/dev/null || true
  printf 'FROM da-bench/base:1\nCOPY data /data\n' >"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 "$docker" build -q -t da-bench/big:1 "$ctx" >/dev/null
  "$docker" save -o "$work/big.tar" da-bench/big:1
  rm -rf "$ctx"
fi
if [ ! -d "$work/big-oci" ]; then
  skopeo copy -q --dest-compress --dest-compress-format gzip "docker-archive:$work/big.tar" "oci:$work/big-oci:big" >/dev/null
fi

size=$(stat -c %s "$work/big.tar")
echo "archive: $work/big.tar, $((size / 1000000)) MB; OCI layout with gzip layers: $(du -sm "$work/big-oci" | cut -f1) MB" >&2

dockaudit_plain() { java -Xmx128m -jar "$jar" digests --no-progress "docker-archive:$work/big.tar" >/dev/null; }
baseline_plain() { sha256sum "$work/big.tar" >/dev/null; }
dockaudit_oci() { java -Xmx128m -jar "$jar" digests --no-progress "oci:$work/big-oci:big" >/dev/null; }
baseline_oci() {
  sha256sum "$work"/big-oci/blobs/sha256/* >/dev/null
  for f in "$work"/big-oci/blobs/sha256/*; do
    if [ "$(head -c2 "$f" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then gzip -dc "$f" | sha256sum >/dev/null; fi
  done
}


echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java $(java -version 2>&1 | head -1)"
run_case "docker-archive (plain tar)" "$pairs" dockaudit_plain baseline_plain
run_case "oci layout (gzip layers)" "$pairs" dockaudit_oci baseline_oci
rss=$( { /usr/bin/time -v java -Xmx128m -jar "$jar" digests --no-progress "docker-archive:$work/big.tar" >/dev/null; } 2>&1 | awk -F: '/Maximum resident/ {print $2}' | xargs)
echo "dockaudit peak RSS with -Xmx128m on the plain archive: $((rss / 1024)) MB"
