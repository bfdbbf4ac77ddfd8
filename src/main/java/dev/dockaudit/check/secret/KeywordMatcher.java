package dev.dockaudit.check.secret;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One Aho–Corasick automaton over every rule's keywords, matched ASCII-case-insensitively straight over the
 * file's bytes (no lower-cased copy, no decoding). The automaton is a full DFA over a reduced alphabet: bytes
 * that occur in no keyword share one class, so the table stays small and the inner loop is two array reads
 * per byte. Files without any keyword cost one pass of this loop and nothing else.
 */
final class KeywordMatcher {
    /** Receives a keyword hit: {@code end} is the offset just past the keyword's last byte. */
    interface Sink {
        /** Returns false to stop the scan. */
        boolean hit(int keyword, int end);
    }

    private final String[] keywords;
    private final byte[] classOf = new byte[256];
    private final int alphabet;
    private final int[] delta;
    /** For states that end at least one keyword: the keyword ids, else null. */
    private final int[][] outputs;
    private final boolean[] accepting;

    KeywordMatcher(List<String> words) {
        keywords = words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        int classes = 1;
        for (String k : keywords) {
            for (int i = 0; i < k.length(); i++) {
                char c = k.charAt(i);
                if (c > 0x7f) {
                    throw new IllegalArgumentException("keyword '" + k + "' is not ASCII");
                }
                if (classOf[c] == 0) {
                    byte cls = (byte) classes++;
                    classOf[c] = cls;
                    if (c >= 'a' && c <= 'z') {
                        classOf[c - 32] = cls;
                    }
                }
            }
        }
        if (classes > 127) {
            throw new IllegalArgumentException("too many distinct keyword characters");
        }
        alphabet = classes;
        // trie
        List<int[]> gotoRows = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        gotoRows.add(new int[alphabet]);
        Arrays.fill(gotoRows.get(0), -1);
        out.add(new ArrayList<>());
        for (int id = 0; id < keywords.length; id++) {
            String k = keywords[id];
            if (k.isEmpty()) {
                throw new IllegalArgumentException("empty keyword");
            }
            int s = 0;
            for (int i = 0; i < k.length(); i++) {
                int c = classOf[k.charAt(i)];
                int next = gotoRows.get(s)[c];
                if (next < 0) {
                    int[] row = new int[alphabet];
                    Arrays.fill(row, -1);
                    gotoRows.add(row);
                    out.add(new ArrayList<>());
                    next = gotoRows.size() - 1;
                    gotoRows.get(s)[c] = next;
                }
                s = next;
            }
            out.get(s).add(id);
        }
        int states = gotoRows.size();
        delta = new int[states * alphabet];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < alphabet; c++) {
            int t = gotoRows.get(0)[c];
            if (t < 0) {
                delta[c] = 0;
            } else {
                delta[c] = t;
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            out.get(s).addAll(out.get(fail[s]));
            for (int c = 0; c < alphabet; c++) {
                int t = gotoRows.get(s)[c];
                if (t < 0) {
                    delta[s * alphabet + c] = delta[fail[s] * alphabet + c];
                } else {
                    delta[s * alphabet + c] = t;
                    fail[t] = delta[fail[s] * alphabet + c];
                    queue.add(t);
                }
            }
        }
        // Store premultiplied targets (state * alphabet) so the scan loop does one add and one load per byte.
        for (int i = 0; i < delta.length; i++) {
            delta[i] *= alphabet;
        }
        outputs = new int[states][];
        accepting = new boolean[states * alphabet];
        for (int s = 0; s < states; s++) {
            if (!out.get(s).isEmpty()) {
                outputs[s] = out.get(s).stream().distinct().mapToInt(Integer::intValue).toArray();
                accepting[s * alphabet] = true;
            }
        }
    }

    int size() {
        return keywords.length;
    }

    String keyword(int id) {
        return keywords[id];
    }

    /** Reports every keyword occurrence in {@code data[0..length)}, in order of end offset. */
    void scan(byte[] data, int length, Sink sink) {
        final int[] d = delta;
        final byte[] cls = classOf;
        final boolean[] acc = accepting;
        int s = 0;
        for (int i = 0; i < length; i++) {
            s = d[s + cls[data[i] & 0xff]];
            if (acc[s]) {
                for (int k : outputs[s / alphabet]) {
                    if (!sink.hit(k, i + 1)) {
                        return;
                    }
                }
            }
        }
    }

    /** Whether any keyword occurs in {@code text} (ASCII case-insensitively). */
    boolean any(CharSequence text) {
        int s = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            s = delta[s + (c < 256 ? classOf[c] : 0)];
            if (accepting[s]) {
                return true;
            }
        }
        return false;
    }
}
