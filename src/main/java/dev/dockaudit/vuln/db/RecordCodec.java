package dev.dockaudit.vuln.db;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Record JSON is stored raw-deflate compressed: OSV JSON (long version lists, repeated keys) shrinks 4–10 times. */
final class RecordCodec {
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(6, true));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));

    private RecordCodec() {
    }

    static byte[] compress(byte[] json) {
        Deflater d = DEFLATER.get();
        d.reset();
        d.setInput(json);
        d.finish();
        byte[] buf = new byte[Math.max(64, json.length / 3)];
        int n = 0;
        while (!d.finished()) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            n += d.deflate(buf, n, buf.length - n);
        }
        return Arrays.copyOf(buf, n);
    }

    static byte[] decompress(byte[] data) throws DataFormatException {
        Inflater inf = INFLATER.get();
        inf.reset();
        inf.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 5);
        byte[] buf = new byte[Math.max(256, data.length * 5)];
        while (!inf.finished()) {
            int n = inf.inflate(buf);
            if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                throw new DataFormatException("compressed record is truncated");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
