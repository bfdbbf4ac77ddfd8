package dev.dockaudit.inventory.pkg.rpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.Adler32;

/**
 * Reads rpm's native "ndb" package database {@code Packages.db} (SUSE since SLE 15 SP3 / openSUSE), written
 * from the format as rpm 4.18's lib/backend/ndb/rpmpkg.c defines it. All numbers are little-endian.
 *
 * <ul>
 *   <li>Bytes 0-31: header: magic {@code "RpmP"}, version 0, generation, number of slot pages, next package index.</li>
 *   <li>Slot pages (4096 bytes each, the header takes the first two slots of page 0): 16-byte slots
 *       {@code "Slot"}, package index, block offset, block count (blocks are 16 bytes); offset 0 = free slot.</li>
 *   <li>Blobs, at block offsets after the slot pages: head {@code "BlbS"}, package index, timestamp, length;
 *       the header blob; zero padding; tail: adler32 (of head, blob and padding), length, {@code "BlbE"}.</li>
 * </ul>
 * rpm lists packages in block-offset order (rpmpkgList orders the slots by offset), and so does this reader.
 * The checks rpm makes when it reads slots and blobs are made here too, each an {@link IOException}; the
 * adler32, which rpm does not check when it reads, is checked and a mismatch reported as a warning.
 */
public final class NdbPackages {
    static final int MAGIC = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
    private static final int SLOT_MAGIC = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
    private static final int BLOB_HEAD = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
    private static final int BLOB_TAIL = 'B' | 'l' << 8 | 'b' << 16 | 'E' << 24;
    private static final int PAGE = 4096;
    private static final int SLOT = 16;
    private static final int BLK = 16;
    private static final int HEAD = 16;
    private static final int TAIL = 12;
    private static final int HEADER_SLOTS = 2;

    private record Slot(long pkgidx, long blkoff, long blkcnt, int slotno) {
    }

    private NdbPackages() {
    }

    /**
     * Visits each package blob in rpm's order.
     *
     * @param maxBlob  the largest blob accepted
     * @param warnings receives problems that rpm itself would not stop at (an adler32 mismatch)
     */
    public static void forEach(Path file, long maxBlob, BlobVisitor visitor, List<String> warnings) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new IOException("is empty (0 bytes), not an rpm ndb database");
            }
            if (size < 32) {
                throw new IOException("is " + size + " bytes, too short for the ndb header (truncated?)");
            }
            ByteBuffer head = read(ch, 0, 32);
            if (head.getInt(0) != MAGIC) {
                throw new IOException(String.format("is not an rpm ndb database (magic 0x%08x, expected \"RpmP\")", head.getInt(0)));
            }
            int version = head.getInt(4);
            if (version != 0) {
                throw new IOException("is an ndb database of version " + version + "; version 0 is supported");
            }
            long slotPages = Integer.toUnsignedLong(head.getInt(12));
            if (size % BLK != 0) {
                throw new IOException("is " + size + " bytes, not a multiple of the 16-byte block (truncated?)");
            }
            long fileBlocks = size / BLK;
            if (slotPages == 0 || slotPages * PAGE > size) {
                throw new IOException("says it has " + slotPages + " slot pages but is " + size + " bytes (truncated?)");
            }
            long minBlkoff = slotPages * (PAGE / BLK);
            List<Slot> slots = new ArrayList<>();
            int slotno = HEADER_SLOTS;
            for (long pg = 0; pg < slotPages; pg++) {
                ByteBuffer page = read(ch, pg * PAGE, PAGE);
                for (int o = pg == 0 ? HEADER_SLOTS * SLOT : 0; o < PAGE; o += SLOT, slotno++) {
                    if (page.getInt(o) != SLOT_MAGIC) {
                        throw new IOException("slot " + slotno + " has no slot magic (corrupt database)");
                    }
                    long blkoff = Integer.toUnsignedLong(page.getInt(o + 8));
                    if (blkoff == 0) {
                        continue; // free slot
                    }
                    long pkgidx = Integer.toUnsignedLong(page.getInt(o + 4));
                    long blkcnt = Integer.toUnsignedLong(page.getInt(o + 12));
                    if (blkoff + blkcnt > fileBlocks) {
                        throw new IOException("slot " + slotno + " (package " + pkgidx + ") points past the end of the file"
                                + " (blocks " + blkoff + "+" + blkcnt + " of " + fileBlocks + "; truncated?)");
                    }
                    if (pkgidx == 0 || blkcnt == 0 || blkoff < minBlkoff) {
                        throw new IOException("slot " + slotno + " is invalid (package " + pkgidx + ", block " + blkoff
                                + ", count " + blkcnt + ")");
                    }
                    slots.add(new Slot(pkgidx, blkoff, blkcnt, slotno));
                }
            }
            slots.sort(Comparator.comparingLong(Slot::blkoff));
            for (Slot s : slots) {
                visitor.visit(s.pkgidx, readBlob(ch, s, maxBlob, warnings));
            }
        }
    }

    private static byte[] readBlob(FileChannel ch, Slot s, long maxBlob, List<String> warnings) throws IOException {
        String what = "package " + s.pkgidx + " (slot " + s.slotno + ")";
        if (s.blkcnt < (HEAD + TAIL + BLK - 1) / BLK) {
            throw new IOException(what + " has " + s.blkcnt + " blocks, too few for a blob");
        }
        long start = s.blkoff * BLK;
        ByteBuffer head = read(ch, start, HEAD);
        if (head.getInt(0) != BLOB_HEAD) {
            throw new IOException(what + " has no blob at block " + s.blkoff + " (bad blob magic)");
        }
        long idx = Integer.toUnsignedLong(head.getInt(4));
        if (idx != s.pkgidx) {
            throw new IOException(what + ": the blob at block " + s.blkoff + " belongs to package " + idx);
        }
        long len = Integer.toUnsignedLong(head.getInt(12));
        if ((HEAD + len + TAIL + BLK - 1) / BLK != s.blkcnt) {
            throw new IOException(what + ": blob length " + len + " does not fit its " + s.blkcnt + " blocks");
        }
        if (len > maxBlob) {
            throw new IOException(what + ": blob of " + len + " bytes is over the " + maxBlob + "-byte limit");
        }
        long areaLen = s.blkcnt * BLK;
        ByteBuffer area = read(ch, start, (int) areaLen);
        byte[] a = area.array();
        int tail = (int) areaLen - TAIL;
        long tailLen = Integer.toUnsignedLong(area.getInt(tail + 4));
        if (tailLen != len) {
            throw new IOException(what + ": blob tail says " + tailLen + " bytes, head says " + len);
        }
        if (area.getInt(tail + 8) != BLOB_TAIL) {
            throw new IOException(what + ": blob has no tail magic (corrupt database)");
        }
        Adler32 adler = new Adler32();
        adler.update(a, 0, tail);
        if ((int) adler.getValue() != area.getInt(tail)) {
            warnings.add(what + ": blob checksum (adler32) does not match; read anyway, as rpm does");
        }
        byte[] blob = new byte[(int) len];
        System.arraycopy(a, HEAD, blob, 0, (int) len);
        return blob;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        long p = pos;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("ends at byte " + p + ", inside data it says it has (truncated?)");
            }
            p += n;
        }
        return b;
    }
}
