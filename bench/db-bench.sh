#!/usr/bin/env bash
# Benchmark for the vulnerability database (issue 4; a benchmark, not a timed test). Generates a bucket as large
# as the real OSV data from the real records in src/test/resources/osv (default 200,000 records, about 460,000
# affected-package entries: copy i of each record gets new ids and package names NAME-bi), then measures:
#
#   import   db update from that bucket as a folder source: every archive imported (records/s)
#   cli      dockaudit db import of the biggest archive through the jar, as a user runs it
#   open     VulnDatabase.open + the first query in a fresh JVM, RUNS times (median)
#   in-run   what opening adds to a real run: dockaudit image on the example image, then open + first query,
#            alternating a synchronous open and one started in the background at the beginning (medians)
#   lookups  1,000 candidate look-ups as an image with 1,000 packages makes them (first in a cold JVM, then warm;
#            then once more after openAsync, as a run that opens the database in the background would)
#   match    the whole match (look-ups, version ranges, findings) for an image of 1,000 packages, after the
#            database is open (VulnMatchBench)
#
#   bench/db-bench.sh [WORKDIR]      (default /tmp/dockaudit-db-bench; RECORDS=…, RUNS=… to change; about 1 GB)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/dockaudit-db-bench}
records=${RECORDS:-200000}
runs=${RUNS:-11}
mkdir -p "$work"
(cd "$root" && mvn -q -B -ntp -DskipTests package)
cp="$root/target/dockaudit.jar:$root/target/test-classes"
bench() { java -cp "$cp" dev.dockaudit.vuln.db.VulnDbBench "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$work/bucket/.done-$records" ]; then
  rm -rf "$work/bucket"
  bench generate "$work/bucket" "$records"
  touch "$work/bucket/.done-$records"
fi

rm -f "$work/vuln.db"
bench import "$work/vuln.db" "$work/bucket"

biggest=$(ls -S "$work"/bucket/*/all.zip | head -1)
rm -f "$work/cli.db"
echo -n "cli: $(basename "$(dirname "$biggest")")/all.zip: "
java -jar "$root/target/dockaudit.jar" db import -q "$biggest" --db "$work/cli.db"

opens=(); firsts=()
for _ in $(seq "$runs"); do
  line=$(bench open "$work/vuln.db")
  opens+=("$(echo "$line" | sed -E 's/open ([0-9.]+) ms.*/\1/')")
  firsts+=("$(echo "$line" | sed -E 's/.*first query ([0-9.]+) ms.*/\1/')")
done
echo "open (fresh JVM, $runs runs): median $(printf '%s\n' "${opens[@]}" | median) ms; first query median $(printf '%s\n' "${firsts[@]}" | median) ms; all: ${opens[*]}"

image="$root/examples/alpine-3.10.4-docker-archive.tar.gz"
sync=(); async=()
bench in-run "$work/vuln.db" "$image" >/dev/null   # warm the page cache
for _ in $(seq "$runs"); do
  s=$(bench in-run "$work/vuln.db" "$image")
  a=$(bench in-run "$work/vuln.db" "$image" async)
  sync+=("$(echo "$s" | sed -E 's/.*then open ([0-9.]+) ms \+ first query ([0-9.]+) ms.*/\1 \2/' | awk '{print $1+$2}')")
  async+=("$(echo "$a" | sed -E 's/.*then open ([0-9.]+) ms \+ first query ([0-9.]+) ms.*/\1 \2/' | awk '{print $1+$2}')")
done
echo "in-run: open + first query after 'dockaudit image' in the same JVM: synchronous median $(printf '%s\n' "${sync[@]}" | median) ms;" \
  "opened in the background from the start: median $(printf '%s\n' "${async[@]}" | median) ms (waiting + query)"

bench lookups "$work/vuln.db" 5
bench lookups "$work/vuln.db" 1 async

# the whole match for an image of 1,000 packages, in a fresh JVM, after the database is open
java -cp "$cp" dev.dockaudit.vuln.match.VulnMatchBench "$work/vuln.db" 5
java -cp "$cp" dev.dockaudit.vuln.match.VulnMatchBench "$work/vuln.db" 1 run-like
