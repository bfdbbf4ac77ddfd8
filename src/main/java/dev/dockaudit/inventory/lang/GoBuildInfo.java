package dev.dockaudit.inventory.lang;

import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go build information, as {@code go version -m} shows it: the Go version and the module list the linker writes
 * into every Go binary (a {@code \xff Go buildinf:} header, 16-byte aligned, in the writable data segment).
 *
 * <p>Go 1.18 and later write both strings inline after the 32-byte header as varint-length strings (flag bit 2).
 * Go 1.13–1.17 write two pointers to Go string headers instead; those live in {@code .data}, after the header,
 * and their bytes in {@code .rodata}, before it: the streaming reader remembers the candidates it passed (strings
 * starting {@code go1.}, module lists starting with their 16-byte sentinel) and keeps the ones the pointers name.
 */
final class GoBuildInfo {
    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    /** runtime/debug's sentinels around the module text. */
    static final byte[] INFO_START = hex("3077af0c9274080241e1c107e6d618e6");
    static final byte[] INFO_END = hex("f932433186182072008242104116d8f2");
    static final int MAX_VERSION = 1024;
    static final int MAX_MODINFO = 4 << 20;
    private static final Pattern GO_VERSION = Pattern.compile("^go(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:(rc|beta)(\\d+))?(?:[ -].*)?$");

    private GoBuildInfo() {
    }

    /** The outcome of reading the header and what follows it from a capture that may still be growing. */
    record Header(Status status, String version, String modinfo, int ptrSize, boolean bigEndian, long versionPtr,
                  long modinfoPtr, int needBytes) {
        enum Status { NEED_MORE, INLINE, POINTERS, INVALID }

        static Header of(Status s) {
            return new Header(s, null, null, 0, false, 0, 0, 0);
        }
    }

    /** Parses a buildinfo header at {@code b[0]}, of which {@code len} bytes are known. */
    static Header parseHeader(byte[] b, int len) {
        if (len < 32) {
            return new Header(Header.Status.NEED_MORE, null, null, 0, false, 0, 0, 32);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                return Header.of(Header.Status.INVALID);
            }
        }
        int ptrSize = b[14];
        int flags = b[15] & 0xff;
        boolean big = (flags & 1) != 0;
        if ((flags & 2) != 0) {
            long[] v = uvarint(b, 32, len);
            if (v == null) {
                return new Header(Header.Status.NEED_MORE, null, null, 0, false, 0, 0, 32 + 10);
            }
            if (v[0] > MAX_VERSION) {
                return Header.of(Header.Status.INVALID);
            }
            int vStart = (int) v[1];
            int vEnd = vStart + (int) v[0];
            if (vEnd > len) {
                return new Header(Header.Status.NEED_MORE, null, null, 0, false, 0, 0, vEnd + 10);
            }
            long[] m = uvarint(b, vEnd, len);
            if (m == null) {
                return new Header(Header.Status.NEED_MORE, null, null, 0, false, 0, 0, vEnd + 10);
            }
            if (m[0] > MAX_MODINFO) {
                return Header.of(Header.Status.INVALID);
            }
            int mStart = (int) m[1];
            int mEnd = mStart + (int) m[0];
            if (mEnd > len) {
                return new Header(Header.Status.NEED_MORE, null, null, 0, false, 0, 0, mEnd);
            }
            String version = new String(b, vStart, vEnd - vStart, StandardCharsets.UTF_8);
            if (!version.startsWith("go") && !version.startsWith("devel")) {
                return Header.of(Header.Status.INVALID);
            }
            return new Header(Header.Status.INLINE, version, stripSentinels(b, mStart, mEnd - mStart), 0, big, 0, 0,
                    mEnd);
        }
        if (ptrSize != 4 && ptrSize != 8) {
            return Header.of(Header.Status.INVALID);
        }
        long p1 = read(b, 16, ptrSize, big);
        long p2 = read(b, 16 + ptrSize, ptrSize, big);
        return new Header(Header.Status.POINTERS, null, null, ptrSize, big, p1, p2, 16 + 2 * ptrSize);
    }

    /** What runtime/debug does: the module text sits between 16-byte sentinels, and ends in a newline. */
    static String stripSentinels(byte[] b, int off, int len) {
        if (len >= 33 && b[off + len - 17] == '\n') {
            return new String(b, off + 16, len - 32, StandardCharsets.UTF_8);
        }
        return "";
    }

    static long read(byte[] b, int off, int size, boolean big) {
        return size == 8 ? ElfHeader.u64(b, off, !big) : ElfHeader.u32(b, off, !big);
    }

    /** {value, offset after it}, or null when the bytes end first or the varint is too long. */
    static long[] uvarint(byte[] b, int off, int len) {
        long x = 0;
        int shift = 0;
        for (int i = off; i < len && i < off + 10; i++) {
            int c = b[i] & 0xff;
            x |= (long) (c & 0x7f) << shift;
            if (c < 0x80) {
                return x < 0 ? null : new long[] {x, i + 1};
            }
            shift += 7;
        }
        return null;
    }

    static boolean startsWith(byte[] b, int off, int len, byte[] what) {
        if (off < 0 || off + what.length > len) {
            return false;
        }
        for (int i = 0; i < what.length; i++) {
            if (b[off + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Packages from a Go version and module text: the main module (version "(devel)" for a build from a source
     * tree, purl without a version then), every dependency as built (a replacement with a version replaces path
     * and version; a replacement by a local directory keeps the required path and version and says so), and the
     * standard library as {@code stdlib} at the Go version, which is how Go advisories name it.
     */
    static List<Package> packages(String goVersion, String modinfo, String path) {
        List<Package> out = new ArrayList<>();
        String mainPath = null;
        String mainModule = null;
        List<String[]> mods = new ArrayList<>(); // kind, path, version, replacement path, replacement version
        for (String line : modinfo.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "path" -> mainPath = f.length > 1 ? f[1] : null;
                case "mod", "dep" -> {
                    if (f.length >= 3 && !f[1].isEmpty()) {
                        mods.add(new String[] {f[0], f[1], f[2], null, null});
                        if (f[0].equals("mod")) {
                            mainModule = f[1];
                        }
                    }
                }
                case "=>" -> {
                    if (!mods.isEmpty() && f.length >= 2) {
                        String[] last = mods.get(mods.size() - 1);
                        last[3] = f[1];
                        last[4] = f.length >= 3 ? f[2] : "";
                    }
                }
                default -> {
                    // build settings and anything newer are not packages
                }
            }
        }
        String version = goVersion == null ? null : goVersion.strip();
        Map<String, String> common = new TreeMap<>();
        if (version != null && !version.isEmpty()) {
            common.put("goVersion", version);
        }
        if (mainModule != null) {
            common.put("mainModule", mainModule);
        }
        if (mainPath != null && !mainPath.isEmpty()) {
            common.put("mainPackage", mainPath);
        }
        for (String[] m : mods) {
            Map<String, String> meta = new TreeMap<>(common);
            String name = m[1];
            String ver = m[2];
            if (m[3] != null && !m[3].isEmpty()) {
                if (m[4] != null && !m[4].isEmpty() && !m[4].equals("(devel)")) {
                    meta.put("replaces", m[1] + (m[2].isEmpty() ? "" : "@" + m[2]));
                    name = m[3];
                    ver = m[4];
                } else {
                    meta.put("replacedBy", m[3]);
                }
            }
            if (m[0].equals("mod")) {
                meta.put("main", "true");
            }
            if (ver.isEmpty()) {
                ver = "(devel)";
            }
            out.add(LangSupport.pkg(name, ver, PackageType.GOLANG, purl(name, ver.equals("(devel)") ? null : ver),
                    List.of(), path, meta));
        }
        String std = stdlibVersion(version);
        if (std != null) {
            out.add(LangSupport.pkg("stdlib", std, PackageType.GOLANG, Purls.of("golang", null, "stdlib", std, null, null),
                    List.of(), path, common));
        }
        return out;
    }

    static String purl(String modulePath, String version) {
        int slash = modulePath.lastIndexOf('/');
        return slash > 0 ? Purls.of("golang", modulePath.substring(0, slash), modulePath.substring(slash + 1), version, null, null)
                : Purls.of("golang", null, modulePath, version, null, null);
    }

    /** go1.19.8 → 1.19.8; go1.20 → 1.20.0; go1.22rc1 → 1.22.0-rc.1 (the Go vulnerability database's spelling). */
    static String stdlibVersion(String goVersion) {
        if (goVersion == null) {
            return null;
        }
        Matcher m = GO_VERSION.matcher(goVersion.strip());
        if (!m.matches()) {
            return null;
        }
        String v = m.group(1) + "." + m.group(2) + "." + (m.group(3) == null ? "0" : m.group(3));
        return m.group(4) == null ? v : v + "-" + m.group(4) + "." + m.group(5);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
