#!/usr/bin/env bash
# Benchmark for secret scanning's cost in a full audit (issue 5): `dockaudit image` on a debootstrapped
# Debian bookworm minbase image (a `docker save` archive made with dockerd), with every scanner against the
# same run with secret scanning off (--scanners packages,vuln,config), in alternating pairs after a warm-up;
# prints the median of the per-pair ratios (target: at most 1.3).
#   bench/image-bench.sh [WORKDIR]       (default /tmp/dockaudit-bench; needs root for debootstrap and dockerd)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/dockaudit-bench}
pairs=${PAIRS:-10}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
mkdir -p "$work"
(cd "$root" && ./dockaudit --version >/dev/null)

rootfs="$work/rootfs-bookworm"
if [ ! -f "$rootfs/.complete" ]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*_*
  touch "$rootfs/.complete"
fi
archive="$work/bookworm.tar"
if [ ! -f "$archive" ]; then
  started=""
  if [ -z "${DOCKER_HOST:-}" ] || ! curl -sf --unix-socket "${DOCKER_HOST#unix://}" http://d/_ping >/dev/null 2>&1; then
    started="$work/env-run-image"
    "$root/scripts/test-env" up "$started" >/dev/null
    # shellcheck disable=SC1091
    source "$started/env"
    export DOCKER_HOST=$DOCKAUDIT_IT_DOCKER_HOST
  fi
  docker=${DOCKAUDIT_IT_DOCKER_CLI:-docker}
  tar -C "$rootfs" --exclude=./.complete -c . | "$docker" import -c 'CMD ["bash"]' - da-bench/bookworm:1 >/dev/null
  "$docker" save -o "$archive" da-bench/bookworm:1
  [ -n "$started" ] && "$root/scripts/test-env" down "$started"
fi

all() { "$root/dockaudit" image --no-progress "docker-archive:$archive" --format json >/dev/null; }
no_secrets() { "$root/dockaudit" image --no-progress "docker-archive:$archive" --scanners packages,vuln,config --format json >/dev/null; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); archive $(( $(stat -c %s "$archive") / 1000000 )) MB"
run_case "image bookworm: all / no secrets" "$pairs" all no_secrets
