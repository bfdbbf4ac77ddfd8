#!/usr/bin/env bash
# Benchmark for secret scanning (issue 5): MB/s of text per core of SecretScanner, the part of a layer pass that
# reads file contents for secrets. Target: >= 100 MB/s per core.
#
# Corpus: the real text of this machine (a Debian 12 system), read into memory first so disk speed does not count:
#   /usr/lib/python3.11 (the Python standard library), /usr/lib/python3/dist-packages, /usr/share/perl,
#   /usr/lib/node_modules (npm and its dependencies, including minified bundles), /usr/share/doc (the plain-text
#   files; the .gz ones are left out as the layer visitor leaves them out), ~/.m2 poms,
# capped at 400 MB (-DmaxCorpusBytes). Binary files (by name or by content) are left out, as in an image scan.
# Files are scanned with no path, so no allow rule skips any: this is the scanner's own speed on text.
# One thread (so the figure is per core), 5 timed rounds after a warm-up round; prints the median and best.
#   bench/secrets-bench.sh [DIR...]         (default: the corpus above)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f target/test-classes/dev/dockaudit/check/secret/SecretBench.class ] \
   || [ -n "$(find src/main src/test/java/dev/dockaudit/check/secret -newer target/test-classes/dev/dockaudit/check/secret/SecretBench.class -print -quit)" ]; then
  mvn -q -B -ntp test-compile >/dev/null
fi
cp_file=target/secrets-bench.classpath
[ -f "$cp_file" ] && [ "$cp_file" -nt pom.xml ] || mvn -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
if [ $# -eq 0 ]; then
  set -- /usr/lib/python3.11 /usr/lib/python3/dist-packages /usr/share/perl /usr/lib/node_modules /usr/share/doc
  poms=$(mktemp -d)
  trap 'rm -rf "$poms"' EXIT
  find "$HOME/.m2/repository" -name '*.pom' 2>/dev/null | head -3000 | while read -r p; do
    cp "$p" "$poms/$(echo "$p" | md5sum | cut -c1-12).pom"
  done
  set -- "$@" "$poms"
fi
echo "corpus: $*" >&2
java -Xms2g -Xmx4g -XX:+UseParallelGC -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  -Drounds="${ROUNDS:-5}" dev.dockaudit.check.secret.SecretBench "$@"
