package dev.dockaudit.inventory.lang;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Java archives ({@code .jar .war .ear}, Jenkins {@code .jpi .hpi}) and the archives nested in them (Spring Boot
 * {@code BOOT-INF/lib}, {@code WEB-INF/lib}, an EAR's modules), read as one stream with no random access.
 *
 * <p>Each archive yields, in order of preference: one package per {@code META-INF/maven/G/A/pom.properties} (a
 * shaded jar holds several); else the coordinates its {@code META-INF/MANIFEST.MF} records
 * (Implementation-Title/Version, Bundle-SymbolicName/Version, Implementation-Vendor-Id as the group); else
 * {@code name-1.2.3.jar} from its file name. Packages are named {@code groupId:artifactId} (the OSV Maven name), or
 * the bare artifactId when no group is recorded; such a package has no purl, since a Maven purl
 * needs its group and guessing one would name another artifact.
 *
 * <p>Hostile archives are bounded, and each bound ends the file's analysis with a warning (packages found before
 * it are kept): archives nest at most {@value #MAX_DEPTH} levels below the file; at most {@value #MAX_ENTRIES}
 * entries in all; at most {@link #MAX_INFLATED} bytes decompressed in all; an entry that decompresses to more than
 * {@value #MAX_RATIO} times its compressed size (past the first MiB) is taken for a zip bomb; pom.properties and
 * manifests over {@value #MAX_TEXT} bytes are skipped. Memory stays at a few buffers per nesting level.
 */
public final class JavaArchiveAnalyzer implements FileAnalyzer {
    static final long MAX_FILE = 2L << 30;
    static final int MAX_DEPTH = 5;
    static final int MAX_ENTRIES = 500_000;
    static final long MAX_INFLATED = 4L << 30;
    static final int MAX_RATIO = 100;
    static final int MAX_TEXT = 1 << 20;
    static final int MAX_PACKAGES = 20_000;
    private static final long RATIO_GRACE = 1 << 20;
    private static final Set<String> EXTENSIONS = Set.of(".jar", ".war", ".ear", ".jpi", ".hpi");
    private static final Pattern FILE_NAME = Pattern.compile(
            "^([A-Za-z0-9_.+-]+?)-(\\d+(?:[.\\-_+][A-Za-z0-9]+)*)\\.(?:jar|war|ear|jpi|hpi)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9_.+-]+");

    @Override
    public String name() {
        return "java";
    }

    @Override
    public boolean wants(LayerFile f) {
        return f.isRegular() && f.size() > 0 && f.size() <= MAX_FILE && isArchiveName(f.path());
    }

    static boolean isArchiveName(String path) {
        String n = LangSupport.lowerBaseName(path);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot));
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        Walk w = new Walk();
        String top = "/" + in.path();
        try (InputStream s = in.stream()) {
            w.archive(s, top, LayerPaths.baseName(in.path()), 0);
        } catch (StopException e) {
            w.warnings.add(e.getMessage() + "; packages found before that are kept");
        }
        return FileResult.of(w.packages, w.warnings);
    }

    /** Ends the analysis of the whole file: a bound was reached. */
    static final class StopException extends IOException {
        private static final long serialVersionUID = 1L;

        StopException(String message) {
            super(message);
        }
    }

    /** The state of one file's walk, shared by all nesting levels. */
    private static final class Walk {
        final List<Package> packages = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        long entries;
        long inflated;
        boolean depthWarned;

        void archive(InputStream raw, String archivePath, String fileName, int depth) throws IOException {
            ZipArchiveInputStream zip = new ZipArchiveInputStream(raw, "UTF-8", true, false, true);
            List<String[]> poms = new ArrayList<>();
            Manifest manifest = null;
            int seen = 0;
            while (true) {
                ZipArchiveEntry e;
                try {
                    e = zip.getNextEntry();
                } catch (StopException x) {
                    throw x;
                } catch (IOException | RuntimeException x) {
                    warnings.add(LangSupport.printable(archivePath) + (seen == 0 ? ": not a readable zip archive ("
                            : ": zip archive is corrupt after " + seen + " entries (")
                            + LangSupport.printable(x.getMessage()) + ")");
                    if (seen == 0) {
                        return;
                    }
                    break;
                }
                if (e == null) {
                    break;
                }
                seen++;
                if (++entries > MAX_ENTRIES) {
                    throw new StopException(LangSupport.printable(archivePath) + ": more than " + MAX_ENTRIES
                            + " zip entries in all; not read further");
                }
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                try {
                    if (!zip.canReadEntryData(e)) {
                        continue; // encrypted or an unsupported method: skipped raw by the next getNextEntry
                    }
                    if (isPomProperties(name)) {
                        byte[] text = readText(zip, e, archivePath);
                        String[] gav = text == null ? null : pomProperties(text, name);
                        if (gav != null) {
                            poms.add(gav);
                        }
                    } else if (name.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                        byte[] text = readText(zip, e, archivePath);
                        if (text != null) {
                            manifest = parseManifest(text);
                        }
                    } else if (isArchiveName(name)) {
                        nested(zip, e, archivePath + "!/" + name, depth);
                    } else if (e.getGeneralPurposeBit().usesDataDescriptor() && e.getMethod() != ZipMethod.STORED.getCode()) {
                        // Its end is only found by decompressing it: do that here, within the bounds.
                        drain(new Bounded(zip, e, archivePath + "!/" + name));
                    }
                } catch (StopException x) {
                    throw x;
                } catch (IOException | RuntimeException x) {
                    warnings.add(LangSupport.printable(archivePath + "!/" + name) + ": unreadable zip entry ("
                            + LangSupport.printable(x.getMessage()) + ")");
                    break; // the stream's position is unknown now
                }
            }
            if (seen == 0) {
                warnings.add(LangSupport.printable(archivePath) + ": not a readable zip archive (no entries)");
                return;
            }
            addPackages(archivePath, fileName, poms, manifest);
        }

        private void nested(ZipArchiveInputStream zip, ZipArchiveEntry e, String path, int depth) throws IOException {
            Bounded b = new Bounded(zip, e, path);
            if (depth + 1 > MAX_DEPTH) {
                if (!depthWarned) {
                    warnings.add(LangSupport.printable(path) + ": archives nested more than " + MAX_DEPTH
                            + " levels deep are not opened");
                    depthWarned = true;
                }
                drain(b);
                return;
            }
            int before = warnings.size();
            try {
                archive(b, path, LayerPaths.baseName(path), depth + 1);
            } catch (StopException x) {
                throw x;
            } catch (IOException | RuntimeException x) {
                if (warnings.size() == before) {
                    warnings.add(LangSupport.printable(path) + ": nested archive is unreadable ("
                            + LangSupport.printable(x.getMessage()) + ")");
                }
            }
            drain(b); // the rest (central directory), through the bounds
        }

        private byte[] readText(ZipArchiveInputStream zip, ZipArchiveEntry e, String archivePath) throws IOException {
            Bounded b = new Bounded(zip, e, archivePath + "!/" + e.getName());
            byte[] text = b.readNBytes(MAX_TEXT + 1);
            if (text.length > MAX_TEXT) {
                warnings.add(LangSupport.printable(archivePath + "!/" + e.getName()) + ": over " + MAX_TEXT
                        + " bytes; skipped");
                drain(b);
                return null;
            }
            return text;
        }

        private void drain(InputStream b) throws IOException {
            byte[] buf = new byte[16384];
            while (b.read(buf) >= 0) {
                // counted and bounded by Bounded
            }
        }

        private void addPackages(String archivePath, String fileName, List<String[]> poms, Manifest manifest) {
            Attributes main = manifest == null ? null : manifest.getMainAttributes();
            String license = main == null ? null : LangSupport.licenseOrNull(main.getValue("Bundle-License"));
            if (!poms.isEmpty()) {
                Set<String> done = new LinkedHashSet<>();
                for (String[] gav : poms) {
                    if (done.add(gav[0] + ":" + gav[1] + ":" + gav[2])) {
                        add(gav[0], gav[1], gav[2], poms.size() == 1 ? license : null, archivePath, "pom.properties");
                    }
                }
                return;
            }
            String[] fromName = fromFileName(fileName);
            if (main != null) {
                String[] m = fromManifest(main, fromName);
                if (m != null) {
                    add(m[0], m[1], m[2], license, archivePath, "MANIFEST.MF");
                    return;
                }
            }
            if (fromName != null) {
                add(null, fromName[0], fromName[1], license, archivePath, "file name");
            }
        }

        private void add(String group, String artifact, String version, String license, String path, String evidence) {
            if (packages.size() >= MAX_PACKAGES) {
                return;
            }
            Map<String, String> meta = new TreeMap<>();
            if (group != null) {
                meta.put("groupId", group);
            }
            meta.put("artifactId", artifact);
            meta.put("evidence", evidence);
            String name = group == null ? artifact : group + ":" + artifact;
            // A Maven purl needs the group (packageurl-java refuses one without): none when it is unknown.
            packages.add(LangSupport.pkg(name, version, PackageType.MAVEN,
                    group == null ? null : Purls.of("maven", group, artifact, version, null, null),
                    license == null ? List.of() : List.of(license), path, meta));
        }

        /** Counts and bounds what one entry decompresses to. */
        private final class Bounded extends FilterInputStream {
            private final ZipArchiveInputStream zip;
            private final String path;
            private final boolean compressed;
            private long produced;

            Bounded(ZipArchiveInputStream zip, ZipArchiveEntry e, String path) {
                super(zip);
                this.zip = zip;
                this.path = path;
                this.compressed = e.getMethod() != ZipMethod.STORED.getCode();
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
                int r = read(buf, 0, (int) Math.min(buf.length, n));
                return Math.max(r, 0);
            }

            @Override
            public void close() {
                // the zip stream belongs to the enclosing level
            }

            private void count(int n) throws StopException {
                produced += n;
                inflated += n;
                if (inflated > MAX_INFLATED) {
                    throw new StopException(LangSupport.printable(path) + ": over " + MAX_INFLATED
                            + " bytes decompressed from this file; a zip bomb or far too big to read");
                }
                if (compressed && produced > RATIO_GRACE
                        && produced > (long) MAX_RATIO * Math.max(zip.getCompressedCount(), 1)) {
                    throw new StopException(LangSupport.printable(path) + ": decompresses to more than " + MAX_RATIO
                            + " times its compressed size (a zip bomb?)");
                }
            }
        }
    }

    static boolean isPomProperties(String name) {
        if (!name.startsWith("META-INF/maven/") || !name.endsWith("/pom.properties")) {
            return false;
        }
        String mid = name.substring("META-INF/maven/".length(), name.length() - "/pom.properties".length());
        int slash = mid.indexOf('/');
        return slash > 0 && slash < mid.length() - 1 && mid.indexOf('/', slash + 1) < 0;
    }

    /** groupId, artifactId, version from a pom.properties (its folder names fill a missing group or artifact). */
    static String[] pomProperties(byte[] text, String entryName) {
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(text));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        String[] dirs = entryName.split("/");
        String g = clean(p.getProperty("groupId"));
        String a = clean(p.getProperty("artifactId"));
        String v = clean(p.getProperty("version"));
        if (g == null) {
            g = clean(dirs[2]);
        }
        if (a == null) {
            a = clean(dirs[3]);
        }
        if (g == null || a == null || v == null) {
            return null;
        }
        return new String[] {g, a, v};
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() || t.contains("${") || t.length() > 256 ? null : t;
    }

    static Manifest parseManifest(byte[] text) {
        try {
            return new Manifest(new ByteArrayInputStream(text));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Coordinates from a manifest: the artifact from Implementation-Title or Bundle-SymbolicName when either is a
     * plain artifact-like name (else the file name's), the version from Implementation-Version or Bundle-Version,
     * the group from Implementation-Vendor-Id, or from a Bundle-SymbolicName of the form {@code group.artifact}.
     */
    static String[] fromManifest(Attributes a, String[] fromName) {
        String version = clean(a.getValue("Implementation-Version"));
        if (version == null) {
            version = clean(a.getValue("Bundle-Version"));
        }
        if (version == null) {
            return null;
        }
        String bsn = clean(a.getValue("Bundle-SymbolicName"));
        if (bsn != null) {
            int semi = bsn.indexOf(';');
            bsn = clean(semi >= 0 ? bsn.substring(0, semi) : bsn);
        }
        String artifact = null;
        String title = clean(a.getValue("Implementation-Title"));
        if (title != null && ARTIFACT_ID.matcher(title).matches()) {
            artifact = title;
        } else if (bsn != null && ARTIFACT_ID.matcher(bsn).matches() && bsn.indexOf('.') < 0) {
            artifact = bsn;
        } else if (fromName != null) {
            artifact = fromName[0];
        }
        if (artifact == null) {
            return null;
        }
        String group = clean(a.getValue("Implementation-Vendor-Id"));
        if (group != null && !ARTIFACT_ID.matcher(group).matches()) {
            group = null;
        }
        if (group == null && bsn != null && bsn.endsWith("." + artifact) && ARTIFACT_ID.matcher(bsn).matches()) {
            group = bsn.substring(0, bsn.length() - artifact.length() - 1);
        }
        return new String[] {group, artifact, version};
    }

    /** {@code commons-io-2.20.0.jar} → commons-io, 2.20.0; null when the name has no version. */
    static String[] fromFileName(String fileName) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        return new String[] {m.group(1), m.group(2)};
    }
}
