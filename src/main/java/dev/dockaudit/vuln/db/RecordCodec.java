package dev.dockaudit.vuln.db;

import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * How a record's JSON is stored: {@code 'L'}, its length (4 bytes, big-endian), then an LZ4 block. LZ4 was
 * measured against deflate level 1 on the real records: 4 times faster to compress and 5 times faster to
 * decompress, at a ratio of 1.9 instead of 2.6. Imports and look-ups are CPU-bound, so speed wins; the tag leaves room
 * for another encoding later.
 */
final class RecordCodec {
    static final String ENCODING = "L+len32+lz4-block JSON";
    private static final byte LZ4 = 'L';
    private static final ThreadLocal<Lz4Compressor> COMPRESSOR = ThreadLocal.withInitial(Lz4Compressor::new);
    private static final ThreadLocal<Lz4Decompressor> DECOMPRESSOR = ThreadLocal.withInitial(Lz4Decompressor::new);

    private RecordCodec() {
    }

    static byte[] compress(byte[] json) {
        Lz4Compressor c = COMPRESSOR.get();
        byte[] out = new byte[5 + c.maxCompressedLength(json.length)];
        out[0] = LZ4;
        ByteBuffer.wrap(out).putInt(1, json.length);
        int n = c.compress(json, 0, json.length, out, 5, out.length - 5);
        return Arrays.copyOf(out, 5 + n);
    }

    static byte[] decompress(byte[] data) throws DataFormatException {
        if (data == null || data.length < 5 || data[0] != LZ4) {
            throw new DataFormatException("unknown record encoding");
        }
        int len = ByteBuffer.wrap(data).getInt(1);
        if (len < 0 || len > ArchiveInput.MAX_RECORD_BYTES) {
            throw new DataFormatException("impossible record length " + len);
        }
        byte[] out = new byte[len];
        try {
            int n = DECOMPRESSOR.get().decompress(data, 5, data.length - 5, out, 0, len);
            if (n != len) {
                throw new DataFormatException("record is " + n + " bytes, not " + len);
            }
        } catch (RuntimeException e) {
            throw new DataFormatException("damaged record (" + e.getMessage() + ")");
        }
        return out;
    }
}
