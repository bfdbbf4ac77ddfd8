#!/usr/bin/env bash
# Regenerates the rpm analyzer's built fixtures with the real rpm tools (see PROVENANCE.md).
# Needs Debian packages rpm (4.18.0), db-util (db_load 5.3.28), sqlite3, gnupg, python3;
# for NDB also an rpm 4.18.0 built from Debian's own source with --enable-ndb (RPM_NDB=path to its rpm).
# Usage: make-fixtures.sh OUT_DIR   (then copy OUT_DIR/* next to this script)
set -euo pipefail
OUT=$(realpath "${1:?usage: make-fixtures.sh OUT_DIR}")
HERE=$(dirname "$(realpath "$0")")
RPM_NDB=${RPM_NDB:-}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1700000000
QF='%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\t%{VENDOR}\t%{SIGMD5}\t%{MODULARITYLABEL}\t%{EVR}\n'
FQF='[%{=NAME}-%{=EVR}.%{=ARCH}\t%{FILENAMES}\n]'

# ---- 1. build the packages ---------------------------------------------------------------------
mkdir -p "$W/rpmbuild/SPECS" "$OUT"
cp "$HERE"/specs/*.spec "$W/rpmbuild/SPECS/"
for s in "$W"/rpmbuild/SPECS/*.spec; do
  rpmbuild --define "_topdir $W/rpmbuild" --define '_build_id_links none' -bb "$s" >"$W/rpmbuild.log" 2>&1
done
# the modular package: rpmbuild puts the %{modularitylabel} macro into MODULARITYLABEL
rpmbuild --define "_topdir $W/rpmbuild" --define '_build_id_links none' \
  --define 'modularitylabel perl:5.30:8030020200101000000:a3f2b1c4' -bb "$HERE/specs-modular/modperl.spec" >>"$W/rpmbuild.log" 2>&1

# ---- 2. install them into a real sqlite rpmdb -----------------------------------------------------
ROOT="$W/root"
mkdir -p "$ROOT"
rpm --root "$ROOT" --dbpath /var/lib/rpm --initdb
rpm --root "$ROOT" --dbpath /var/lib/rpm -i --nodeps --ignorearch --ignoreos --noscripts \
  $(find "$W/rpmbuild/RPMS" -name '*.rpm' ! -name 'multiver-2*' | sort) 2>/dev/null
# a second version of an install-only style package, installed next to the first
rpm --root "$ROOT" --dbpath /var/lib/rpm -i --nodeps --ignorearch --noscripts "$W"/rpmbuild/RPMS/*/multiver-2*.rpm 2>/dev/null
# a gpg-pubkey pseudo package, as `rpm --import` makes it
export GNUPGHOME="$W/gnupg"; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' --quick-gen-key 'dockaudit fixtures <fixtures@dockaudit.invalid>' ed25519 sign never
gpg --batch --armor --export fixtures@dockaudit.invalid > "$W/key.asc"
rpm --root "$ROOT" --dbpath /var/lib/rpm --import "$W/key.asc"
sqlite3 "$ROOT/var/lib/rpm/rpmdb.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
rm -f "$ROOT"/var/lib/rpm/rpmdb.sqlite-wal "$ROOT"/var/lib/rpm/rpmdb.sqlite-shm "$ROOT"/var/lib/rpm/.rpm.lock
mkdir -p "$OUT/built-sqlite"
cp "$ROOT/var/lib/rpm/rpmdb.sqlite" "$OUT/built-sqlite/rpmdb.sqlite"
rpm --root "$ROOT" --dbpath /var/lib/rpm -qa --qf "$QF" > "$OUT/built-sqlite/rpm-qa.tsv"
rpm --root "$ROOT" --dbpath /var/lib/rpm -qa --qf "$FQF" > "$OUT/built-sqlite/rpm-ql.tsv"
sqlite3 "$ROOT/var/lib/rpm/rpmdb.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
rm -f "$ROOT"/var/lib/rpm/rpmdb.sqlite-wal "$ROOT"/var/lib/rpm/rpmdb.sqlite-shm "$ROOT"/var/lib/rpm/.rpm.lock
cmp "$ROOT/var/lib/rpm/rpmdb.sqlite" "$OUT/built-sqlite/rpmdb.sqlite"

# ---- 3. the same headers in a Berkeley DB hash `Packages` (db_load), both byte orders ------------
# db_load's text format: key line (hex), value line (hex); key = uint32 hnum in the writer's byte order,
# record 0 = the next free instance number, as rpm's bdb backend keeps it.
dump() { # SQLITE ORDER(le|be) > dump
  python3 - "$1" "$2" <<'PY'
import sqlite3, struct, sys
db, order = sys.argv[1], sys.argv[2]
fmt = '<I' if order == 'le' else '>I'
rows = sqlite3.connect(f'file:{db}?mode=ro&immutable=1', uri=True).execute('SELECT hnum, blob FROM Packages ORDER BY hnum').fetchall()
print('VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END')
nxt = max([r[0] for r in rows] + [0]) + 1
print(' ' + struct.pack(fmt, 0).hex()); print(' ' + struct.pack(fmt, nxt).hex())
for h, b in rows:
    print(' ' + struct.pack(fmt, h).hex()); print(' ' + bytes(b).hex())
print('DATA=END')
PY
}
bdb() { # SQLITE OUTDIR ORDER [extra db_load -c options]
  local root="$W/bdbroot-$RANDOM"; mkdir -p "$root/var/lib/rpm" "$2"
  dump "$1" "$3" > "$W/dump"
  local lorder=1234; [ "$3" = be ] && lorder=4321
  db_load -c db_lorder=$lorder ${4:-} -f "$W/dump" "$root/var/lib/rpm/Packages"
  cp "$root/var/lib/rpm/Packages" "$2/Packages"
  rpm --root "$root" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa --qf "$QF" > "$2/rpm-qa.tsv" 2>/dev/null
  rpm --root "$root" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa --qf "$FQF" > "$2/rpm-ql.tsv" 2>/dev/null
}
bdb "$OUT/built-sqlite/rpmdb.sqlite" "$OUT/built-bdb" le
# big-endian, as rpm on s390x writes it
bdb "$OUT/built-sqlite/rpmdb.sqlite" "$OUT/built-bdb-bigendian" be
if [ -n "${MARINER_SQLITE:-}" ]; then
  # 512-byte pages and a fill factor of 40: several buckets over hash split points (spares), bucket pages chained to more bucket pages
  bdb "$MARINER_SQLITE" "$OUT/mariner-bdb" le "-c db_pagesize=512 -c h_ffactor=40"
fi

# an initialised database without packages: rpm -qa lists nothing
E="$W/empty-root"; mkdir -p "$E" "$OUT/empty-sqlite" "$OUT/empty-bdb"
rpm --root "$E" --dbpath /var/lib/rpm --initdb
sqlite3 "$E/var/lib/rpm/rpmdb.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
rm -f "$E"/var/lib/rpm/rpmdb.sqlite-wal "$E"/var/lib/rpm/rpmdb.sqlite-shm "$E"/var/lib/rpm/.rpm.lock
cp "$E/var/lib/rpm/rpmdb.sqlite" "$OUT/empty-sqlite/rpmdb.sqlite"
rpm --root "$E" --dbpath /var/lib/rpm -qa > "$OUT/empty-sqlite/rpm-qa.tsv"
printf 'VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\nDATA=END\n' > "$W/emptydump"
mkdir -p "$W/empty-bdb-root/var/lib/rpm"
db_load -f "$W/emptydump" "$W/empty-bdb-root/var/lib/rpm/Packages"
cp "$W/empty-bdb-root/var/lib/rpm/Packages" "$OUT/empty-bdb/Packages"
rpm --root "$W/empty-bdb-root" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa > "$OUT/empty-bdb/rpm-qa.tsv" 2>/dev/null

# ---- 3b. rpm's own answers for the two real databases (realdata/pkgdb-fixtures/rpm) ------------------
if [ -n "${MARINER_SQLITE:-}" ]; then
  R="$W/mariner-sqlite-root"; mkdir -p "$R/var/lib/rpm" "$OUT/mariner-sqlite"
  cp "$MARINER_SQLITE" "$R/var/lib/rpm/rpmdb.sqlite"
  rpm --root "$R" --dbpath /var/lib/rpm --define '_db_backend sqlite' -qa --qf "$QF" > "$OUT/mariner-sqlite/rpm-qa.tsv"
  rpm --root "$R" --dbpath /var/lib/rpm --define '_db_backend sqlite' -qa --qf "$FQF" > "$OUT/mariner-sqlite/rpm-ql.tsv"
fi
if [ -n "${RHEL8_PACKAGES:-}" ]; then
  R="$W/rhel8-root"; mkdir -p "$R/var/lib/rpm" "$OUT/rhel8-libuuid-bdb"
  cp "$RHEL8_PACKAGES" "$R/var/lib/rpm/Packages"
  rpm --root "$R" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa --qf "$QF" > "$OUT/rhel8-libuuid-bdb/rpm-qa.tsv" 2>/dev/null
  rpm --root "$R" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa --qf "$FQF" > "$OUT/rhel8-libuuid-bdb/rpm-ql.tsv" 2>/dev/null
fi

# ---- 4. NDB (`Packages.db`), written by rpm itself (built with --enable-ndb) ----------------------
if [ -n "$RPM_NDB" ]; then
  NROOT="$W/ndbroot"; mkdir -p "$NROOT"
  N="$RPM_NDB --root $NROOT --dbpath /var/lib/rpm --define _db_backend\ ndb"
  "$RPM_NDB" --root "$NROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' --initdb
  "$RPM_NDB" --root "$NROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' -i --nodeps --ignorearch --ignoreos --noscripts \
    $(find "$W/rpmbuild/RPMS" -name '*.rpm' ! -name 'multiver-2*' | sort) 2>/dev/null
  "$RPM_NDB" --root "$NROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' -i --nodeps --ignorearch --noscripts "$W"/rpmbuild/RPMS/*/multiver-2*.rpm 2>/dev/null
  # erase one package and upgrade another, so slots are reused and blobs move: the order is rpm's, not the insertion order
  "$RPM_NDB" --root "$NROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' -e --nodeps --noscripts toolkit-libs
  "$RPM_NDB" --root "$NROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' --import "$W/key.asc"
  ER="$W/empty-ndb-root"; mkdir -p "$ER" "$OUT/empty-ndb"
  "$RPM_NDB" --root "$ER" --dbpath /var/lib/rpm --define '_db_backend ndb' --initdb
  cp "$ER/var/lib/rpm/Packages.db" "$OUT/empty-ndb/Packages.db"
  "$RPM_NDB" --root "$ER" --dbpath /var/lib/rpm --define '_db_backend ndb' -qa > "$OUT/empty-ndb/rpm-qa.tsv"
  mkdir -p "$OUT/built-ndb"
  cp "$NROOT/var/lib/rpm/Packages.db" "$OUT/built-ndb/Packages.db"
  "$RPM_NDB" --root "$NROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' -qa --qf "$QF" > "$OUT/built-ndb/rpm-qa.tsv"
  "$RPM_NDB" --root "$NROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' -qa --qf "$FQF" > "$OUT/built-ndb/rpm-ql.tsv"
  cmp "$NROOT/var/lib/rpm/Packages.db" "$OUT/built-ndb/Packages.db"
  if [ -n "${MARINER_SQLITE:-}" ]; then
    # convert the real CBL-Mariner sqlite db to ndb with rpm's own --rebuilddb
    MROOT="$W/mroot"; mkdir -p "$MROOT/var/lib/rpm"
    cp "$MARINER_SQLITE" "$MROOT/var/lib/rpm/rpmdb.sqlite"
    "${RPM_NDB%/rpm}/rpmdb" --root "$MROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' --rebuilddb
    mkdir -p "$OUT/mariner-ndb"
    cp "$MROOT/var/lib/rpm/Packages.db" "$OUT/mariner-ndb/Packages.db"
    "$RPM_NDB" --root "$MROOT" --dbpath /var/lib/rpm --define '_db_backend ndb' -qa --qf "$QF" > "$OUT/mariner-ndb/rpm-qa.tsv"
  fi
fi
echo "fixtures written to $OUT"
