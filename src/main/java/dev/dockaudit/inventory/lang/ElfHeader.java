package dev.dockaudit.inventory.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * What a streaming reader needs from an ELF file's first bytes: word size, byte order and the loadable segments
 * from the program header table (which sits near the start; section headers, at the end, are not needed).
 */
record ElfHeader(boolean is64, boolean littleEndian, List<Segment> loads, boolean goNote) {
    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;
    static final int PF_X = 1;
    static final int PF_W = 2;

    /** One PT_LOAD segment: where its bytes are in the file and where they are mapped. */
    record Segment(long offset, long vaddr, long fileSize, int flags) {
        boolean writable() {
            return (flags & (PF_X | PF_W)) == PF_W;
        }
    }

    /** Null when {@code head} does not start an ELF file. */
    static ElfHeader parse(byte[] head) {
        if (head.length < 52 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
            return null;
        }
        int cls = head[4];
        int data = head[5];
        if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) {
            return null;
        }
        boolean is64 = cls == 2;
        boolean le = data == 1;
        if (is64 && head.length < 64) {
            return null;
        }
        long phoff = is64 ? u64(head, 0x20, le) : u32(head, 0x1c, le);
        int phentsize = u16(head, is64 ? 0x36 : 0x2a, le);
        int phnum = u16(head, is64 ? 0x38 : 0x2c, le);
        List<Segment> loads = new ArrayList<>();
        boolean goNote = false;
        int minEnt = is64 ? 56 : 32;
        if (phoff > 0 && phentsize >= minEnt && phnum < 0xffff && phoff + (long) phnum * phentsize <= head.length) {
            for (int i = 0; i < phnum; i++) {
                int o = (int) (phoff + (long) i * phentsize);
                long type = u32(head, o, le);
                if (type == PT_NOTE) {
                    long off = is64 ? u64(head, o + 8, le) : u32(head, o + 4, le);
                    long size = is64 ? u64(head, o + 32, le) : u32(head, o + 16, le);
                    goNote |= hasGoNote(head, off, size, le);
                }
                if (type != PT_LOAD) {
                    continue;
                }
                Segment s = is64
                        ? new Segment(u64(head, o + 8, le), u64(head, o + 16, le), u64(head, o + 32, le),
                                (int) u32(head, o + 4, le))
                        : new Segment(u32(head, o + 4, le), u32(head, o + 8, le), u32(head, o + 16, le),
                                (int) u32(head, o + 24, le));
                if (s.offset() >= 0 && s.fileSize() >= 0 && s.offset() + s.fileSize() >= s.offset()) {
                    loads.add(s);
                }
            }
        }
        return new ElfHeader(is64, le, List.copyOf(loads), goNote);
    }

    /** Whether a note segment in the head holds the Go linker's build-ID note (name "Go", type 4). */
    static boolean hasGoNote(byte[] b, long off, long size, boolean le) {
        if (off < 0 || size < 0 || off + size > b.length) {
            return false;
        }
        int p = (int) off;
        int end = (int) (off + size);
        while (p + 12 <= end) {
            long namesz = u32(b, p, le);
            long descsz = u32(b, p + 4, le);
            long type = u32(b, p + 8, le);
            if (namesz > 256 || descsz > 4096) {
                return false;
            }
            if (namesz == 4 && type == 4 && p + 16 <= end && b[p + 12] == 'G' && b[p + 13] == 'o' && b[p + 14] == 0) {
                return true;
            }
            p += 12 + (int) ((namesz + 3) & ~3L) + (int) ((descsz + 3) & ~3L);
        }
        return false;
    }

    /** File ranges of read-only data (no write, no execute): where Go keeps its string constants. */
    boolean inReadOnlyData(long off) {
        for (Segment s : loads) {
            if ((s.flags() & (PF_X | PF_W)) == 0 && off >= s.offset() && off - s.offset() < s.fileSize()) {
                return true;
            }
        }
        return loads.isEmpty();
    }

    /** The file offset holding virtual address {@code vaddr}, or -1 when no segment maps it from the file. */
    long fileOffset(long vaddr) {
        for (Segment s : loads) {
            if (Long.compareUnsigned(vaddr, s.vaddr()) >= 0 && Long.compareUnsigned(vaddr - s.vaddr(), s.fileSize()) < 0) {
                return s.offset() + (vaddr - s.vaddr());
            }
        }
        return -1;
    }

    /** Whether file offset {@code off} lies in a writable data segment (Go keeps its build info there). */
    boolean inWritable(long off) {
        boolean any = false;
        for (Segment s : loads) {
            if (s.writable()) {
                any = true;
                if (off >= s.offset() && off - s.offset() < s.fileSize()) {
                    return true;
                }
            }
        }
        return !any; // no usable program headers: look everywhere
    }

    /** Where the loaded part of the file ends: non-allocated sections (.comment, .dep-v0, symbols) come after. */
    long loadedEnd() {
        long end = 0;
        for (Segment s : loads) {
            end = Math.max(end, s.offset() + s.fileSize());
        }
        return end;
    }

    static int u16(byte[] b, int o, boolean le) {
        return le ? (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 : (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    static long u32(byte[] b, int o, boolean le) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) (b[o + (le ? i : 3 - i)] & 0xff) << (8 * i);
        }
        return v;
    }

    static long u64(byte[] b, int o, boolean le) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (b[o + (le ? i : 7 - i)] & 0xff) << (8 * i);
        }
        return v;
    }
}
