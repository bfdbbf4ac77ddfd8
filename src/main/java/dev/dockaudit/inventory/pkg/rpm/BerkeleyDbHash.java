package dev.dockaudit.inventory.pkg.rpm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * Reads the key/value pairs of a Berkeley DB hash database, the format of rpm's {@code Packages} file on
 * RHEL/CentOS 5 to 8, Amazon Linux 2 and older SUSE, without Berkeley DB.
 *
 * <p>Layout (Berkeley DB 4.x-5.x hash, versions 8 to 10): page 0 is the metadata page (magic 0x061561 at byte 12
 * in the writer's byte order, page size, last page, max bucket, the {@code spares} array that maps buckets to
 * pages). Bucket {@code b} lives on page {@code b + spares[bits(b)]} and chains to more bucket pages through
 * {@code next_pgno}. A bucket page holds an offset array of key/value items; an item is either inline
 * (H_KEYDATA) or a reference (H_OFFPAGE) to a chain of overflow pages holding a big value (rpm headers always
 * are). Pages are read one at a time from the file; buckets are walked in the order rpm's own read-only
 * reader (rpm 4.18 lib/backend/bdb_ro.c) walks them, so packages come out in {@code rpm -qa} order.
 *
 * <p>Everything is bounded by the file: a page number past the end, a page that does not say it is the page
 * it was read as, a loop in a bucket or overflow chain, or items outside their page give an
 * {@link IOException} naming the page.
 */
public final class BerkeleyDbHash implements AutoCloseable {
    static final int HASH_MAGIC = 0x061561;
    static final int BTREE_MAGIC = 0x053162;
    private static final int PAGE_HEADER = 26;
    private static final int P_HASH_UNSORTED = 2;
    private static final int P_OVERFLOW = 7;
    private static final int P_HASHMETA = 8;
    private static final int P_HASH = 13;
    private static final int H_KEYDATA = 1;
    private static final int H_DUPLICATE = 2;
    private static final int H_OFFPAGE = 3;
    private static final int H_OFFDUP = 4;
    private static final int H_BLOB = 5;

    /** Receives one key/value pair. */
    @FunctionalInterface
    public interface PairVisitor {
        void visit(byte[] key, byte[] value) throws IOException;
    }

    private final FileChannel ch;
    private final long fileSize;
    private final ByteOrder order;
    private final int pageSize;
    private final long lastPage;
    private final long maxBucket;
    private final long[] spares = new long[32];
    private final ByteBuffer page;
    private final ByteBuffer overflowPage;
    private final long maxValue;
    private BitSet seen = new BitSet();

    private BerkeleyDbHash(FileChannel ch, long maxValue) throws IOException {
        this.ch = ch;
        this.maxValue = maxValue;
        fileSize = ch.size();
        if (fileSize == 0) {
            throw new IOException("is empty (0 bytes), not a Berkeley DB database");
        }
        if (fileSize < 512) {
            throw new IOException("is " + fileSize + " bytes, too short for a Berkeley DB metadata page (truncated?)");
        }
        ByteBuffer meta = ByteBuffer.allocate(512);
        readFully(meta, 0);
        int magicLe = meta.order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        int magicBe = meta.order(ByteOrder.BIG_ENDIAN).getInt(12);
        if (magicLe == HASH_MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (magicBe == HASH_MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (magicLe == BTREE_MAGIC || magicBe == BTREE_MAGIC) {
            throw new IOException("is a Berkeley DB btree database; rpm's Packages database is a hash database");
        } else {
            throw new IOException(String.format("is not a Berkeley DB hash database (magic 0x%08x at byte 12)", magicLe));
        }
        meta.order(order);
        int version = meta.getInt(16);
        if (version < 8 || version > 10) {
            throw new IOException("is a Berkeley DB hash database of version " + version + "; versions 8 to 10 are supported");
        }
        long ps = Integer.toUnsignedLong(meta.getInt(20));
        if (ps < 512 || ps > 65536 || Long.bitCount(ps) != 1) {
            throw new IOException("has an invalid Berkeley DB page size " + ps);
        }
        pageSize = (int) ps;
        if (meta.get(24) != 0) {
            throw new IOException("is an encrypted Berkeley DB database");
        }
        if (meta.get(25) != P_HASHMETA) {
            throw new IOException("page 0 is of type " + meta.get(25) + ", not a hash metadata page");
        }
        lastPage = Integer.toUnsignedLong(meta.getInt(32));
        long pagesInFile = fileSize / pageSize;
        if (lastPage >= pagesInFile) {
            throw new IOException("says its last page is " + lastPage + " but the file holds only " + pagesInFile
                    + " pages of " + pageSize + " bytes (truncated?)");
        }
        maxBucket = Integer.toUnsignedLong(meta.getInt(72));
        if (maxBucket > lastPage) {
            throw new IOException("says it has " + (maxBucket + 1) + " hash buckets but only " + (lastPage + 1) + " pages");
        }
        for (int i = 0; i < 32; i++) {
            spares[i] = Integer.toUnsignedLong(meta.getInt(96 + 4 * i));
        }
        page = ByteBuffer.allocate(pageSize).order(order);
        overflowPage = ByteBuffer.allocate(pageSize).order(order);
    }

    /**
     * Opens a hash database file.
     *
     * @param maxValue the largest value accepted; a bigger one is an error before anything is allocated
     */
    public static BerkeleyDbHash open(Path file, long maxValue) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new BerkeleyDbHash(ch, maxValue);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public ByteOrder byteOrder() {
        return order;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Visits every key/value pair, bucket by bucket, as a Berkeley DB cursor (and rpm) would. */
    public void forEach(PairVisitor visitor) throws IOException {
        // in a sound database every page belongs to one chain once: a page reached twice is a loop
        // (or two chains sharing pages), in bucket and overflow chains alike
        seen = new BitSet();
        for (long bucket = 0; bucket <= maxBucket; bucket++) {
            long pg = bucketToPage(bucket);
            while (pg != 0) {
                if (seen.get((int) pg)) {
                    throw new IOException("hash page " + pg + " is reached twice (a loop in bucket " + bucket + "'s chain)");
                }
                seen.set((int) pg);
                if (!readPage(page, pg, true)) {
                    break; // a bucket page never written (all zeros): Berkeley DB reads it as an empty page
                }
                int type = page.get(25) & 0xff;
                if (type != P_HASH && type != P_HASH_UNSORTED && type != P_HASHMETA) {
                    throw new IOException("page " + pg + " of bucket " + bucket + " is of type " + type + ", not a hash page");
                }
                long next = Integer.toUnsignedLong(page.getInt(16));
                int entries = page.getShort(20) & 0xffff;
                if (entries > (pageSize - PAGE_HEADER) / 2) {
                    throw new IOException("hash page " + pg + " claims " + entries + " items, more than fit in a page");
                }
                // items are stored as pairs: even index = key, odd index = value
                byte[] pageBytes = page.array();
                for (int i = 0; i + 1 < entries; i += 2) {
                    int koff = page.getShort(PAGE_HEADER + 2 * i) & 0xffff;
                    int voff = page.getShort(PAGE_HEADER + 2 * i + 2) & 0xffff;
                    int kend = i == 0 ? pageSize : page.getShort(PAGE_HEADER + 2 * i - 2) & 0xffff;
                    int minOff = PAGE_HEADER + 2 * entries;
                    if (koff < minOff || voff < minOff || koff >= pageSize || voff >= koff || kend > pageSize || kend <= koff) {
                        throw new IOException("hash page " + pg + " item " + i + " has offsets outside the page (key "
                                + koff + ".." + kend + ", value " + voff + ".." + koff + ")");
                    }
                    byte[] key = item(pageBytes, pg, koff, kend - koff);
                    byte[] value = item(pageBytes, pg, voff, koff - voff);
                    visitor.visit(key, value);
                }
                pg = next;
                if (pg > lastPage) {
                    throw new IOException("hash page chain of bucket " + bucket + " points to page " + pg
                            + ", past the last page " + lastPage);
                }
            }
        }
    }

    private long bucketToPage(long bucket) throws IOException {
        int bits = 64 - Long.numberOfLeadingZeros(bucket);
        long pg = bucket + spares[bits];
        if (pg == 0 || pg > lastPage) {
            throw new IOException("hash bucket " + bucket + " maps to page " + pg + ", outside pages 1.." + lastPage);
        }
        return pg;
    }

    private byte[] item(byte[] p, long pg, int off, int len) throws IOException {
        int type = p[off] & 0xff;
        switch (type) {
            case H_KEYDATA -> {
                byte[] out = new byte[len - 1];
                System.arraycopy(p, off + 1, out, 0, len - 1);
                return out;
            }
            case H_OFFPAGE -> {
                if (len != 12) {
                    throw new IOException("hash page " + pg + " has an off-page item of " + len + " bytes, not 12");
                }
                ByteBuffer b = ByteBuffer.wrap(p).order(order);
                long first = Integer.toUnsignedLong(b.getInt(off + 4));
                long total = Integer.toUnsignedLong(b.getInt(off + 8));
                return overflow(first, total);
            }
            case H_DUPLICATE, H_OFFDUP ->
                throw new IOException("hash page " + pg + " has duplicate items, which rpm's Packages database never has");
            case H_BLOB ->
                throw new IOException("hash page " + pg + " has an external blob item (Berkeley DB 6), not supported");
            default ->
                throw new IOException("hash page " + pg + " has an item of unknown type " + type);
        }
    }

    /** Reads a value stored on a chain of overflow pages. */
    private byte[] overflow(long first, long total) throws IOException {
        if (total == 0) {
            throw new IOException("overflow item starting at page " + first + " has length 0");
        }
        if (total > maxValue) {
            throw new IOException("overflow item starting at page " + first + " claims " + total
                    + " bytes, over the " + maxValue + "-byte limit");
        }
        long perPage = pageSize - PAGE_HEADER;
        if ((total + perPage - 1) / perPage > lastPage) {
            throw new IOException("overflow item starting at page " + first + " claims " + total
                    + " bytes, more than the file's pages can hold");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(total, 1 << 20));
        long pg = first;
        long left = total;
        while (left > 0) {
            if (pg == 0 || pg > lastPage) {
                throw new IOException("overflow chain points to page " + pg + ", outside pages 1.." + lastPage
                        + " (after " + (total - left) + " of " + total + " bytes)");
            }
            if (seen.get((int) pg)) {
                throw new IOException("overflow chain starting at page " + first + " reaches page " + pg
                        + " a second time (it loops back, or another chain uses it)");
            }
            seen.set((int) pg);
            readPage(overflowPage, pg, false);
            int type = overflowPage.get(25) & 0xff;
            if (type != P_OVERFLOW) {
                throw new IOException("overflow chain starting at page " + first + " reaches page " + pg + " of type " + type);
            }
            int len = overflowPage.getShort(22) & 0xffff;
            if (len == 0 || len + PAGE_HEADER > pageSize || len > left) {
                throw new IOException("overflow page " + pg + " holds " + len + " bytes, inconsistent with its item ("
                        + left + " of " + total + " bytes left)");
            }
            out.write(overflowPage.array(), PAGE_HEADER, len);
            left -= len;
            pg = Integer.toUnsignedLong(overflowPage.getInt(16));
        }
        return out.toByteArray();
    }

    /**
     * Reads page {@code pg} into {@code buf} and checks it says it is that page. Returns false for a page of zeros
     * when {@code zeroIsEmpty}: Berkeley DB allocates bucket pages lazily, and reads an unwritten one as empty.
     */
    private boolean readPage(ByteBuffer buf, long pg, boolean zeroIsEmpty) throws IOException {
        if (pg > lastPage) {
            throw new IOException("page " + pg + " is past the last page " + lastPage);
        }
        long pos = pg * pageSize;
        if (pos + pageSize > fileSize) {
            throw new IOException("page " + pg + " is past the end of the file (truncated?)");
        }
        buf.clear();
        readFully(buf, pos);
        long self = Integer.toUnsignedLong(buf.getInt(8));
        if (self != pg) {
            if (zeroIsEmpty && self == 0 && allZero(buf.array())) {
                return false;
            }
            throw new IOException("page " + pg + " says it is page " + self + " (corrupt database)");
        }
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private void readFully(ByteBuffer buf, long pos) throws IOException {
        buf.clear();
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("ends at byte " + p + " inside a page (truncated?)");
            }
            p += n;
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
