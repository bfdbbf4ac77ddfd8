package dev.dockaudit.vuln.db;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import dev.dockaudit.vuln.osv.OsvAffected;
import dev.dockaudit.vuln.osv.OsvEvent;
import dev.dockaudit.vuln.osv.OsvRange;
import dev.dockaudit.vuln.osv.OsvRecord;
import dev.dockaudit.vuln.osv.OsvReference;
import dev.dockaudit.vuln.osv.OsvSeverity;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * How a parsed record is stored: the model ({@link OsvRecord}) in a compact binary form, LZ4-compressed:
 * {@code 'B'}, the binary's length (varint), then an LZ4 block. The matcher loads thousands of records per image,
 * and reading this form costs a fraction of parsing the JSON again (no tokens, no field names); it is also smaller.
 * LZ4 was measured against deflate on the real records: 4 times faster to compress, 5 times faster to decompress.
 *
 * <p>Binary form: strings are varint length+1 (0 for null) and UTF-8 bytes; lists are a varint count; event kinds a
 * byte; the free-form {@code database_specific} / {@code ecosystem_specific} objects a tagged tree (null, booleans,
 * strings, int/long/double/big numbers, arrays, objects) rebuilt with Jackson's node factory. Fields of the
 * OSV JSON outside the model ({@code schema_version}, {@code credits}, range-level {@code database_specific}) are not
 * kept.
 */
final class RecordCodec {
    static final String ENCODING = "B+varint-len+lz4(dockaudit binary OsvRecord v1)";
    private static final byte FORMAT = 'B';
    private static final String[] KINDS = {OsvEvent.INTRODUCED, OsvEvent.FIXED, OsvEvent.LAST_AFFECTED, OsvEvent.LIMIT};
    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final byte NULL_FIELD = -1;
    private static final byte T_NULL = 0;
    private static final byte T_TRUE = 1;
    private static final byte T_FALSE = 2;
    private static final byte T_STRING = 3;
    private static final byte T_INT = 4;
    private static final byte T_LONG = 5;
    private static final byte T_DOUBLE = 6;
    private static final byte T_BIGINT = 7;
    private static final byte T_DECIMAL = 8;
    private static final byte T_ARRAY = 9;
    private static final byte T_OBJECT = 10;
    private static final ThreadLocal<Lz4Compressor> COMPRESSOR = ThreadLocal.withInitial(Lz4Compressor::new);
    private static final ThreadLocal<Lz4Decompressor> DECOMPRESSOR = ThreadLocal.withInitial(Lz4Decompressor::new);

    private RecordCodec() {
    }

    static byte[] encode(OsvRecord r) {
        Out o = new Out();
        o.str(r.id());
        o.str(r.modified());
        o.str(r.published());
        o.str(r.withdrawn());
        o.strs(r.aliases());
        o.strs(r.upstream());
        o.strs(r.related());
        o.str(r.summary());
        o.str(r.details());
        severities(o, r.severity());
        o.varint(r.affected().size());
        for (OsvAffected a : r.affected()) {
            o.str(a.ecosystem());
            o.str(a.name());
            o.str(a.purl());
            o.varint(a.ranges().size());
            for (OsvRange g : a.ranges()) {
                o.str(g.type());
                o.str(g.repo());
                o.varint(g.events().size());
                for (OsvEvent e : g.events()) {
                    o.add((byte) Arrays.asList(KINDS).indexOf(e.kind()));
                    o.str(e.version());
                }
            }
            o.strs(a.versions());
            severities(o, a.severity());
            o.json(a.ecosystemSpecific());
            o.json(a.databaseSpecific());
        }
        o.varint(r.references().size());
        for (OsvReference ref : r.references()) {
            o.str(ref.type());
            o.str(ref.url());
        }
        o.json(r.databaseSpecific());
        return compress(o.buf, o.n);
    }

    static OsvRecord decode(byte[] data) throws DataFormatException {
        In in = new In(decompress(data));
        try {
            String id = in.str();
            String modified = in.str();
            String published = in.str();
            String withdrawn = in.str();
            List<String> aliases = in.strs();
            List<String> upstream = in.strs();
            List<String> related = in.strs();
            String summary = in.str();
            String details = in.str();
            List<OsvSeverity> severity = severities(in);
            int na = in.count();
            List<OsvAffected> affected = new ArrayList<>(na);
            for (int i = 0; i < na; i++) {
                String eco = in.str();
                String name = in.str();
                String purl = in.str();
                int nr = in.count();
                List<OsvRange> ranges = new ArrayList<>(nr);
                for (int j = 0; j < nr; j++) {
                    String type = in.str();
                    String repo = in.str();
                    int ne = in.count();
                    List<OsvEvent> events = new ArrayList<>(ne);
                    for (int k = 0; k < ne; k++) {
                        int kind = in.get();
                        if (kind < 0 || kind >= KINDS.length) {
                            throw new DataFormatException("bad event kind " + kind);
                        }
                        events.add(new OsvEvent(KINDS[kind], in.str()));
                    }
                    ranges.add(new OsvRange(type, repo, events));
                }
                List<String> versions = in.strs();
                List<OsvSeverity> sev = severities(in);
                affected.add(new OsvAffected(eco, name, purl, ranges, versions, sev, in.json(), in.json()));
            }
            int nref = in.count();
            List<OsvReference> refs = new ArrayList<>(nref);
            for (int i = 0; i < nref; i++) {
                refs.add(new OsvReference(in.str(), in.str()));
            }
            JsonNode dbs = in.json();
            if (in.pos != in.buf.length) {
                throw new DataFormatException("trailing bytes in a stored record");
            }
            return new OsvRecord(id, modified, published, withdrawn, aliases, upstream, related, summary, details, severity,
                    affected, refs, dbs);
        } catch (ArrayIndexOutOfBoundsException | NullPointerException | IllegalArgumentException e) {
            throw new DataFormatException("damaged record (" + e + ")");
        }
    }

    private static void severities(Out o, List<OsvSeverity> s) {
        o.varint(s.size());
        for (OsvSeverity x : s) {
            o.str(x.type());
            o.str(x.score());
        }
    }

    private static List<OsvSeverity> severities(In in) throws DataFormatException {
        int n = in.count();
        if (n == 0) {
            return List.of();
        }
        List<OsvSeverity> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new OsvSeverity(in.str(), in.str()));
        }
        return out;
    }

    private static byte[] compress(byte[] raw, int len) {
        Lz4Compressor c = COMPRESSOR.get();
        byte[] out = new byte[6 + c.maxCompressedLength(len)];
        out[0] = FORMAT;
        int p = 1;
        for (int v = len; ; v >>>= 7) {
            if ((v & ~0x7f) == 0) {
                out[p++] = (byte) v;
                break;
            }
            out[p++] = (byte) ((v & 0x7f) | 0x80);
        }
        int n = c.compress(raw, 0, len, out, p, out.length - p);
        return Arrays.copyOf(out, p + n);
    }

    private static byte[] decompress(byte[] data) throws DataFormatException {
        if (data == null || data.length < 2 || data[0] != FORMAT) {
            throw new DataFormatException("unknown record encoding");
        }
        int len = 0;
        int p = 1;
        for (int shift = 0; ; shift += 7) {
            if (p >= data.length || shift > 28) {
                throw new DataFormatException("bad record length");
            }
            byte b = data[p++];
            len |= (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (len < 0 || len > ArchiveInput.MAX_RECORD_BYTES) {
            throw new DataFormatException("impossible record length " + len);
        }
        byte[] out = new byte[len];
        try {
            int n = DECOMPRESSOR.get().decompress(data, p, data.length - p, out, 0, len);
            if (n != len) {
                throw new DataFormatException("record is " + n + " bytes, not " + len);
            }
        } catch (RuntimeException e) {
            throw new DataFormatException("damaged record (" + e.getMessage() + ")");
        }
        return out;
    }

    private static final class Out {
        byte[] buf = new byte[1024];
        int n;

        void ensure(int more) {
            if (n + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        void add(byte b) {
            ensure(1);
            buf[n++] = b;
        }

        void varint(int v) {
            ensure(5);
            while ((v & ~0x7f) != 0) {
                buf[n++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[n++] = (byte) v;
        }

        void bytes(byte[] b) {
            // length + 1, so that 0 can mean null
            varint(b.length + 1);
            ensure(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
        }

        void str(String s) {
            if (s == null) {
                varint(0);
            } else {
                bytes(s.getBytes(StandardCharsets.UTF_8));
            }
        }

        void strs(List<String> l) {
            varint(l.size());
            for (String s : l) {
                str(s);
            }
        }

        void json(JsonNode node) {
            if (node == null) {
                add(NULL_FIELD);
                return;
            }
            node(node);
        }

        /** A JSON value as a tag and its content, so reading it back needs no JSON parser. */
        void node(JsonNode node) {
            switch (node.getNodeType()) {
                case NULL, MISSING -> add(T_NULL);
                case BOOLEAN -> add(node.booleanValue() ? T_TRUE : T_FALSE);
                case STRING -> {
                    add(T_STRING);
                    str(node.textValue());
                }
                case NUMBER -> {
                    if (node.isInt()) {
                        add(T_INT);
                        varlong(node.intValue());
                    } else if (node.isLong()) {
                        add(T_LONG);
                        varlong(node.longValue());
                    } else if (node.isDouble()) {
                        add(T_DOUBLE);
                        varlong(Double.doubleToRawLongBits(node.doubleValue()));
                    } else if (node.isBigInteger()) {
                        add(T_BIGINT);
                        str(node.bigIntegerValue().toString());
                    } else {
                        add(T_DECIMAL);
                        str(node.decimalValue().toString());
                    }
                }
                case ARRAY -> {
                    add(T_ARRAY);
                    varint(node.size());
                    for (JsonNode e : node) {
                        node(e);
                    }
                }
                case OBJECT -> {
                    add(T_OBJECT);
                    varint(node.size());
                    for (java.util.Map.Entry<String, JsonNode> e : node.properties()) {
                        str(e.getKey());
                        node(e.getValue());
                    }
                }
                default -> {
                    // binary and POJO nodes do not come out of a JSON parser
                    add(T_STRING);
                    str(node.asText());
                }
            }
        }

        void varlong(long v) {
            long z = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((z & ~0x7fL) != 0) {
                buf[n++] = (byte) ((z & 0x7f) | 0x80);
                z >>>= 7;
            }
            buf[n++] = (byte) z;
        }
    }

    private static final class In {
        final byte[] buf;
        int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        int get() {
            return buf[pos++];
        }

        int varint() throws DataFormatException {
            int v = 0;
            for (int shift = 0; shift <= 28; shift += 7) {
                byte b = buf[pos++];
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new DataFormatException("bad varint");
        }

        int count() throws DataFormatException {
            int c = varint();
            if (c < 0 || c > buf.length - pos) {
                throw new DataFormatException("bad count " + c);
            }
            return c;
        }

        String str() throws DataFormatException {
            int len = varint() - 1;
            if (len < 0) {
                return null;
            }
            if (len > buf.length - pos) {
                throw new DataFormatException("bad string length");
            }
            String s = new String(buf, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        List<String> strs() throws DataFormatException {
            int c = count();
            if (c == 0) {
                return List.of();
            }
            List<String> out = new ArrayList<>(c);
            for (int i = 0; i < c; i++) {
                out.add(str());
            }
            return out;
        }

        JsonNode json() throws DataFormatException {
            if (buf[pos] == NULL_FIELD) {
                pos++;
                return null;
            }
            return node(0);
        }

        JsonNode node(int depth) throws DataFormatException {
            if (depth > 200) {
                throw new DataFormatException("JSON nested too deeply");
            }
            int tag = get();
            return switch (tag) {
                case T_NULL -> NODES.nullNode();
                case T_TRUE -> NODES.booleanNode(true);
                case T_FALSE -> NODES.booleanNode(false);
                case T_STRING -> NODES.textNode(str());
                case T_INT -> NODES.numberNode((int) varlong());
                case T_LONG -> NODES.numberNode(varlong());
                case T_DOUBLE -> NODES.numberNode(Double.longBitsToDouble(varlong()));
                case T_BIGINT -> NODES.numberNode(new java.math.BigInteger(str()));
                case T_DECIMAL -> NODES.numberNode(new java.math.BigDecimal(str()));
                case T_ARRAY -> {
                    int c = count();
                    com.fasterxml.jackson.databind.node.ArrayNode a = NODES.arrayNode(c);
                    for (int i = 0; i < c; i++) {
                        a.add(node(depth + 1));
                    }
                    yield a;
                }
                case T_OBJECT -> {
                    int c = count();
                    com.fasterxml.jackson.databind.node.ObjectNode o = NODES.objectNode();
                    for (int i = 0; i < c; i++) {
                        String k = str();
                        o.set(k, node(depth + 1));
                    }
                    yield o;
                }
                default -> throw new DataFormatException("bad JSON tag " + tag);
            };
        }

        long varlong() throws DataFormatException {
            long z = 0;
            for (int shift = 0; shift <= 63; shift += 7) {
                byte b = buf[pos++];
                z |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            throw new DataFormatException("bad varlong");
        }
    }
}
