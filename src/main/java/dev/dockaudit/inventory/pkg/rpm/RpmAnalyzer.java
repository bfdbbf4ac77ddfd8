package dev.dockaudit.inventory.pkg.rpm;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * rpm's package database in any of its three formats, read without rpm: Berkeley DB hash {@code Packages}
 * (RHEL/CentOS 7-8, Amazon Linux 2), sqlite {@code rpmdb.sqlite} (Fedora 33+, RHEL 9, Azure Linux) and ndb
 * {@code Packages.db} (SUSE), in {@code /var/lib/rpm} or {@code /usr/lib/sysimage/rpm}. Packages come out as
 * {@code rpm -qa} lists them, in its order, including {@code gpg-pubkey} entries (imported signing keys, which
 * rpm lists as packages too). A damaged header is skipped with a warning, as rpm skips it; a damaged database
 * structure stops the file with an {@link IOException}.
 */
public final class RpmAnalyzer implements FileAnalyzer {
    /** The largest database file copied for reading (a RHEL 8 server with 2,000 packages has about 300 MiB). */
    static final long MAX_FILE = 2L << 30;
    private static final int MAX_WARNINGS = 20;
    private static final List<String> DIRS = List.of("var/lib/rpm/", "usr/lib/sysimage/rpm/");

    /** The three database formats, by file name. */
    public enum Format {
        BDB("Packages"), SQLITE("rpmdb.sqlite"), NDB("Packages.db");

        public final String fileName;

        Format(String fileName) {
            this.fileName = fileName;
        }

        static Format of(String path) {
            for (String dir : DIRS) {
                if (path.startsWith(dir)) {
                    String rest = path.substring(dir.length());
                    for (Format f : values()) {
                        if (f.fileName.equals(rest)) {
                            return f;
                        }
                    }
                }
            }
            return null;
        }
    }

    @Override
    public String name() {
        return "rpm";
    }

    @Override
    public boolean wants(LayerFile f) {
        return f.isRegular() && Format.of(f.path()) != null;
    }

    @Override
    public boolean isDatabase() {
        return true;
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        Format format = Format.of(in.path());
        if (format == null) {
            throw new IOException("is not an rpm database file name");
        }
        Path copy = in.spool(MAX_FILE);
        try {
            return read(copy, format, "/" + in.path());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Reads one database file of the given format; {@code recordedPath} is what the packages say they came from. */
    public static FileResult read(Path file, Format format, String recordedPath) throws IOException {
        List<Package> packages = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int[] counts = new int[2]; // records seen, headers skipped
        BlobVisitor each = (key, blob) -> {
            counts[0]++;
            try {
                packages.add(toPackage(RpmHeader.parse(blob), recordedPath));
            } catch (IOException e) {
                counts[1]++;
                if (counts[1] <= MAX_WARNINGS) {
                    warnings.add("rpm header #" + key + " is damaged and was skipped, as rpm skips it: " + e.getMessage());
                }
            }
        };
        switch (format) {
            case SQLITE -> SqliteRpmdb.forEach(file, RpmHeader.MAX_BLOB, each);
            case NDB -> NdbPackages.forEach(file, RpmHeader.MAX_BLOB, each, warnings);
            case BDB -> {
                try (BerkeleyDbHash db = BerkeleyDbHash.open(file, RpmHeader.MAX_BLOB)) {
                    int[] oddKeys = new int[1];
                    db.forEach((key, value) -> {
                        if (key.length != 4) {
                            if (oddKeys[0]++ == 0) {
                                warnings.add("a record with a " + key.length + "-byte key is not a package and was skipped");
                            }
                            return;
                        }
                        long hnum = db.byteOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
                                ? (key[0] & 0xffL) | (key[1] & 0xffL) << 8 | (key[2] & 0xffL) << 16 | (key[3] & 0xffL) << 24
                                : (key[3] & 0xffL) | (key[2] & 0xffL) << 8 | (key[1] & 0xffL) << 16 | (key[0] & 0xffL) << 24;
                        if (hnum == 0) {
                            return; // record 0 holds rpm's next header number, not a package
                        }
                        each.visit(hnum, value);
                    });
                }
            }
            default -> throw new IllegalStateException(format.name());
        }
        if (counts[1] > MAX_WARNINGS) {
            warnings.add((counts[1] - MAX_WARNINGS) + " more damaged rpm headers were skipped");
        }
        if (counts[0] > 0 && packages.isEmpty()) {
            throw new IOException("none of its " + counts[0] + " records is a readable rpm header (" + warnings.get(0) + ")");
        }
        return FileResult.of(packages, warnings);
    }

    /** The inventory's view of one header. */
    static Package toPackage(RpmHeader h, String recordedPath) throws IOException {
        String name = h.string(RpmHeader.TAG_NAME);
        String version = h.string(RpmHeader.TAG_VERSION);
        if (name == null || name.isEmpty() || version == null) {
            throw new IOException("has no NAME or VERSION");
        }
        String release = h.string(RpmHeader.TAG_RELEASE);
        Long epoch = h.int32(RpmHeader.TAG_EPOCH);
        String arch = h.string(RpmHeader.TAG_ARCH);
        String evr = evr(epoch, version, release);

        String sourceRpm = h.string(RpmHeader.TAG_SOURCERPM);
        String sourceName = null;
        String sourceVersion = null;
        String[] src = splitSourceRpm(sourceRpm);
        if (src != null) {
            sourceName = src[0];
            sourceVersion = evr(epoch, src[1], src[2]);
        }

        String license = h.string(RpmHeader.TAG_LICENSE);
        Map<String, String> meta = new TreeMap<>();
        putIfPresent(meta, "vendor", h.string(RpmHeader.TAG_VENDOR));
        putIfPresent(meta, "modularitylabel", h.string(RpmHeader.TAG_MODULARITYLABEL));
        byte[] md5 = h.bin(RpmHeader.TAG_SIGMD5);
        if (md5 != null && md5.length > 0) {
            meta.put("sigmd5", HexFormat.of().formatHex(md5));
        }
        if (sourceRpm != null && !sourceRpm.isEmpty() && !sourceRpm.equals("(none)")) {
            // gpg-pubkey headers carry the string "(none)" here
            meta.put("sourceRpm", sourceRpm);
        }
        return new Package(name, evr, PackageType.RPM, arch, sourceName, sourceVersion, null,
                license == null || license.isEmpty() ? List.of() : List.of(license), files(h), recordedPath, null, meta);
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }

    /** {@code [EPOCH:]VERSION-RELEASE}, as rpm's {@code %{EVR}} prints it (an epoch tag of 0 shows as "0:"). */
    static String evr(Long epoch, String version, String release) {
        StringBuilder b = new StringBuilder();
        if (epoch != null) {
            b.append(epoch).append(':');
        }
        b.append(version);
        if (release != null) {
            b.append('-').append(release);
        }
        return b.toString();
    }

    /** {@code name-version-release.src.rpm} (or {@code .nosrc.rpm}) to its three parts, or null when it has no such shape. */
    static String[] splitSourceRpm(String s) {
        if (s == null) {
            return null;
        }
        String base;
        if (s.endsWith(".src.rpm")) {
            base = s.substring(0, s.length() - ".src.rpm".length());
        } else if (s.endsWith(".nosrc.rpm")) {
            base = s.substring(0, s.length() - ".nosrc.rpm".length());
        } else {
            return null;
        }
        int r = base.lastIndexOf('-');
        if (r <= 0) {
            return null;
        }
        int v = base.lastIndexOf('-', r - 1);
        if (v <= 0) {
            return null;
        }
        return new String[] {base.substring(0, v), base.substring(v + 1, r), base.substring(r + 1)};
    }

    /** The package's files, root-relative: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i] (or the legacy OLDFILENAMES). */
    static List<String> files(RpmHeader h) throws IOException {
        List<String> base = h.strings(RpmHeader.TAG_BASENAMES);
        if (base.isEmpty()) {
            List<String> old = h.strings(RpmHeader.TAG_OLDFILENAMES);
            List<String> out = new ArrayList<>(old.size());
            for (String f : old) {
                out.add(rootRelative(f));
            }
            return out;
        }
        List<String> dirs = h.strings(RpmHeader.TAG_DIRNAMES);
        int[] idx = h.int32s(RpmHeader.TAG_DIRINDEXES);
        if (idx.length != base.size()) {
            throw new IOException("has " + base.size() + " BASENAMES but " + idx.length + " DIRINDEXES");
        }
        List<String> out = new ArrayList<>(base.size());
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= dirs.size()) {
                throw new IOException("file " + i + " has DIRINDEXES " + idx[i] + ", outside its " + dirs.size() + " DIRNAMES");
            }
            out.add(rootRelative(dirs.get(idx[i]) + base.get(i)));
        }
        return out;
    }

    private static String rootRelative(String p) {
        int i = 0;
        while (i < p.length() && p.charAt(i) == '/') {
            i++;
        }
        return p.substring(i);
    }
}
