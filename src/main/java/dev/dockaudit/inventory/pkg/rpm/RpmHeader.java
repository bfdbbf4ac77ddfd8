package dev.dockaudit.inventory.pkg.rpm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One package header as the rpm database stores it: {@code il} and {@code dl} (big-endian int32), {@code il}
 * index entries of 16 bytes (tag, type, offset, count) and {@code dl} bytes of data. The first entry is
 * usually a region tag (HEADERIMMUTABLE) whose trailer sits in the data; entries after the region ("dribble"
 * entries added at install time) replace region entries with the same tag, as rpm's headerImport does.
 *
 * <p>Every entry is checked the way rpm checks a header it reads from its database (hdrblobVerifyInfo and
 * hdrblobVerifyRegion in rpm 4.18's lib/header.c): the blob size equals {@code 8 + 16*il + dl}, tags, types,
 * counts, alignment, offsets inside the data, data that does not overlap the previous entry's, strings
 * terminated inside the data. A violation is an {@link IOException} naming the entry; nothing is allocated
 * from a count before it has been checked against the data actually present.
 */
public final class RpmHeader {
    public static final int TAG_HEADERIMAGE = 61;
    public static final int TAG_HEADERSIGNATURES = 62;
    public static final int TAG_HEADERIMMUTABLE = 63;
    public static final int TAG_HEADERI18NTABLE = 100;
    public static final int TAG_SIGMD5 = 261;
    public static final int TAG_NAME = 1000;
    public static final int TAG_VERSION = 1001;
    public static final int TAG_RELEASE = 1002;
    public static final int TAG_EPOCH = 1003;
    public static final int TAG_SUMMARY = 1004;
    public static final int TAG_VENDOR = 1011;
    public static final int TAG_LICENSE = 1014;
    public static final int TAG_ARCH = 1022;
    public static final int TAG_OLDFILENAMES = 1027;
    public static final int TAG_SOURCERPM = 1044;
    public static final int TAG_DIRINDEXES = 1116;
    public static final int TAG_BASENAMES = 1117;
    public static final int TAG_DIRNAMES = 1118;
    public static final int TAG_MODULARITYLABEL = 5096;

    public static final int TYPE_NULL = 0;
    public static final int TYPE_CHAR = 1;
    public static final int TYPE_INT8 = 2;
    public static final int TYPE_INT16 = 3;
    public static final int TYPE_INT32 = 4;
    public static final int TYPE_INT64 = 5;
    public static final int TYPE_STRING = 6;
    public static final int TYPE_BIN = 7;
    public static final int TYPE_STRING_ARRAY = 8;
    public static final int TYPE_I18NSTRING = 9;

    /** rpm's limits: at most 0xffff tags, 256 MiB of data, about a million array elements. */
    static final int MAX_TAGS = 0xffff;
    static final int MAX_DATA = 0x0fffffff;
    static final int MAX_ARRAY = 0x000fffff;
    /** The largest blob a valid header can be. */
    public static final long MAX_BLOB = 8L + 16L * MAX_TAGS + MAX_DATA;

    private static final int ENTRY = 16;
    private static final int[] TYPE_SIZE = {0, 1, 1, 2, 4, 8, -1, 1, -1, -1};
    private static final int[] TYPE_ALIGN = {1, 1, 1, 2, 4, 8, 1, 1, 1, 1};

    /** The types rpm's tag table gives the tags read here (a known tag with another type is a bad header). */
    private static final Map<Integer, Integer> KNOWN_TYPES = Map.ofEntries(
            Map.entry(TAG_SIGMD5, TYPE_BIN), Map.entry(TAG_NAME, TYPE_STRING), Map.entry(TAG_VERSION, TYPE_STRING),
            Map.entry(TAG_RELEASE, TYPE_STRING), Map.entry(TAG_EPOCH, TYPE_INT32),
            Map.entry(TAG_SUMMARY, TYPE_I18NSTRING), Map.entry(TAG_VENDOR, TYPE_STRING),
            Map.entry(TAG_LICENSE, TYPE_STRING), Map.entry(TAG_ARCH, TYPE_STRING),
            Map.entry(TAG_OLDFILENAMES, TYPE_STRING_ARRAY), Map.entry(TAG_SOURCERPM, TYPE_STRING),
            Map.entry(TAG_DIRINDEXES, TYPE_INT32), Map.entry(TAG_BASENAMES, TYPE_STRING_ARRAY),
            Map.entry(TAG_DIRNAMES, TYPE_STRING_ARRAY), Map.entry(TAG_MODULARITYLABEL, TYPE_STRING));

    private record Entry(int tag, int type, int offset, int count, int length) {
    }

    private final byte[] blob;
    private final int dataStart;
    private final Map<Integer, Entry> entries;

    private RpmHeader(byte[] blob, int dataStart, Map<Integer, Entry> entries) {
        this.blob = blob;
        this.dataStart = dataStart;
        this.entries = entries;
    }

    /** Parses and checks a header blob as stored in the rpm database. */
    public static RpmHeader parse(byte[] blob) throws IOException {
        if (blob.length < 8) {
            throw new IOException("header blob is " + blob.length + " bytes, shorter than its 8-byte preamble");
        }
        long il = u32(blob, 0);
        long dl = u32(blob, 4);
        if (il < 1 || il > MAX_TAGS) {
            throw new IOException("header has " + il + " index entries (rpm allows 1 to " + MAX_TAGS + ")");
        }
        if (dl > MAX_DATA) {
            throw new IOException("header data is " + dl + " bytes (rpm allows at most " + MAX_DATA + ")");
        }
        long expected = 8 + il * ENTRY + dl;
        if (blob.length != expected) {
            throw new IOException("header blob is " + blob.length + " bytes but its il " + il + " and dl " + dl
                    + " make " + expected);
        }
        int nil = (int) il;
        int ndl = (int) dl;
        int ds = 8 + nil * ENTRY;
        Map<Integer, Entry> map = new HashMap<>();
        int first = 0;
        int regionEnd = -1; // rdl: where the region's data (with its trailer) ends
        int tag0 = s32(blob, 8);
        if (tag0 == TAG_HEADERIMMUTABLE || tag0 == TAG_HEADERIMAGE || tag0 == TAG_HEADERSIGNATURES) {
            regionEnd = verifyRegion(blob, nil, ndl, ds);
            first = 1;
        }
        int end = 0;
        for (int i = first; i < nil; i++) {
            int p = 8 + i * ENTRY;
            int tag = s32(blob, p);
            int type = s32(blob, p + 4);
            int offset = s32(blob, p + 8);
            int count = s32(blob, p + 12);
            String where = "tag[" + i + "] (tag " + tag + " type " + type + " offset " + offset + " count " + count + ")";
            if (end > offset) {
                throw new IOException("header " + where + " overlaps the previous entry's data");
            }
            if (tag < TAG_HEADERI18NTABLE) {
                throw new IOException("header " + where + ": tag below 100 outside the region");
            }
            if (type < TYPE_CHAR || type > TYPE_I18NSTRING) {
                throw new IOException("header " + where + ": unknown type");
            }
            if (count < 1 || count > ndl) {
                throw new IOException("header " + where + ": count out of range for " + ndl + " bytes of data");
            }
            if ((offset & (TYPE_ALIGN[type] - 1)) != 0) {
                throw new IOException("header " + where + ": offset not aligned for its type");
            }
            if (offset < 0 || offset > ndl) {
                throw new IOException("header " + where + ": offset outside the " + ndl + "-byte data");
            }
            if (type != TYPE_BIN && count > MAX_ARRAY) {
                throw new IOException("header " + where + ": more than " + MAX_ARRAY + " array elements");
            }
            if (regionEnd >= 0 && tag0 != TAG_HEADERSIGNATURES) {
                Integer known = KNOWN_TYPES.get(tag);
                if (known != null && !compatible(known, type)) {
                    throw new IOException("header " + where + ": type does not match the tag's type " + known);
                }
            }
            int len = dataLength(blob, type, ds + offset, count, ds + ndl);
            if (len <= 0) {
                throw new IOException("header " + where + ": data runs past the end of the header");
            }
            end = offset + len;
            if (end > ndl) {
                throw new IOException("header " + where + ": data runs past the end of the header");
            }
            if (regionEnd >= 0 && end > regionEnd - ENTRY && offset < regionEnd) {
                throw new IOException("header " + where + ": data overlaps the region trailer");
            }
            // dribble entries (after the region) replace region entries with the same tag
            map.put(tag, new Entry(tag, type, offset, count, len));
        }
        return new RpmHeader(blob, ds, map);
    }

    private static boolean compatible(int known, int type) {
        if (known == type) {
            return true;
        }
        boolean knownString = known == TYPE_STRING || known == TYPE_STRING_ARRAY || known == TYPE_I18NSTRING;
        boolean string = type == TYPE_STRING || type == TYPE_STRING_ARRAY || type == TYPE_I18NSTRING;
        return knownString && string;
    }

    /** Checks the region tag and its trailer; returns rdl, the end of the region's data. */
    private static int verifyRegion(byte[] blob, int il, int dl, int ds) throws IOException {
        int tag = s32(blob, 8);
        int type = s32(blob, 12);
        int offset = s32(blob, 16);
        int count = s32(blob, 20);
        if (type != TYPE_BIN || count != ENTRY) {
            throw new IOException("header region tag is bad (tag " + tag + " type " + type + " offset " + offset
                    + " count " + count + ")");
        }
        if (offset < 0 || offset + ENTRY > dl) {
            throw new IOException("header region offset " + offset + " is outside the " + dl + "-byte data");
        }
        int t = ds + offset;
        int ttag = s32(blob, t);
        int ttype = s32(blob, t + 4);
        int toff = -s32(blob, t + 8);
        int tcount = s32(blob, t + 12);
        if (tag == TAG_HEADERSIGNATURES && ttag == TAG_HEADERIMAGE) {
            ttag = TAG_HEADERSIGNATURES;
        }
        if (ttag != tag || ttype != TYPE_BIN || tcount != ENTRY) {
            throw new IOException("header region trailer is bad (tag " + ttag + " type " + ttype + " count " + tcount + ")");
        }
        int ril = toff / ENTRY;
        int rdl = offset + ENTRY;
        if (toff % ENTRY != 0 || ril < 0 || ril > il || rdl > dl) {
            throw new IOException("header region size is bad (ril " + ril + " il " + il + " rdl " + rdl + " dl " + dl + ")");
        }
        return rdl;
    }

    /** Bytes an entry's data takes, or -1 when it does not fit before {@code limit}. */
    private static int dataLength(byte[] b, int type, int start, int count, int limit) {
        switch (type) {
            case TYPE_STRING: {
                if (count != 1) {
                    return -1;
                }
                return stringsLength(b, start, 1, limit);
            }
            case TYPE_STRING_ARRAY:
            case TYPE_I18NSTRING:
                return stringsLength(b, start, count, limit);
            default: {
                long len = (long) TYPE_SIZE[type] * count;
                return start + len > limit ? -1 : (int) len;
            }
        }
    }

    private static int stringsLength(byte[] b, int start, int count, int limit) {
        int p = start;
        for (int n = 0; n < count; n++) {
            while (p < limit && b[p] != 0) {
                p++;
            }
            if (p >= limit) {
                return -1;
            }
            p++;
        }
        return p - start;
    }

    public boolean has(int tag) {
        return entries.containsKey(tag);
    }

    /** A STRING value (or the first of a string array or i18n string), or null when the tag is absent. */
    public String string(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null) {
            return null;
        }
        if (e.type != TYPE_STRING && e.type != TYPE_STRING_ARRAY && e.type != TYPE_I18NSTRING) {
            throw new IOException("header tag " + tag + " has type " + e.type + ", not a string");
        }
        return cString(dataStart + e.offset);
    }

    /** A string array (STRING_ARRAY, I18NSTRING or a single STRING), or an empty list when the tag is absent. */
    public List<String> strings(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null) {
            return List.of();
        }
        if (e.type != TYPE_STRING && e.type != TYPE_STRING_ARRAY && e.type != TYPE_I18NSTRING) {
            throw new IOException("header tag " + tag + " has type " + e.type + ", not a string array");
        }
        String[] out = new String[e.count];
        int p = dataStart + e.offset;
        for (int i = 0; i < e.count; i++) {
            int z = p;
            while (blob[z] != 0) {
                z++;
            }
            out[i] = new String(blob, p, z - p, StandardCharsets.UTF_8);
            p = z + 1;
        }
        return List.of(out);
    }

    /** An INT32 array, or an empty array when the tag is absent. */
    public int[] int32s(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null) {
            return new int[0];
        }
        if (e.type != TYPE_INT32) {
            throw new IOException("header tag " + tag + " has type " + e.type + ", not int32");
        }
        int[] out = new int[e.count];
        for (int i = 0; i < e.count; i++) {
            out[i] = s32(blob, dataStart + e.offset + 4 * i);
        }
        return out;
    }

    /** The first INT32 value, or null when the tag is absent. */
    public Long int32(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null) {
            return null;
        }
        if (e.type != TYPE_INT32) {
            throw new IOException("header tag " + tag + " has type " + e.type + ", not int32");
        }
        return u32(blob, dataStart + e.offset);
    }

    /** A BIN (or byte-sized) value, or null when the tag is absent. */
    public byte[] bin(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null) {
            return null;
        }
        if (e.type != TYPE_BIN && e.type != TYPE_CHAR && e.type != TYPE_INT8) {
            throw new IOException("header tag " + tag + " has type " + e.type + ", not binary");
        }
        byte[] out = new byte[e.length];
        System.arraycopy(blob, dataStart + e.offset, out, 0, e.length);
        return out;
    }

    private String cString(int p) {
        int z = p;
        while (blob[z] != 0) {
            z++;
        }
        return new String(blob, p, z - p, StandardCharsets.UTF_8);
    }

    static long u32(byte[] b, int p) {
        return ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xffL) << 16) | ((b[p + 2] & 0xffL) << 8) | (b[p + 3] & 0xffL);
    }

    static int s32(byte[] b, int p) {
        return (int) u32(b, p);
    }
}
