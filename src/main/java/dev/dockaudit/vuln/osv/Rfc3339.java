package dev.dockaudit.vuln.osv;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * RFC 3339 timestamps as OSV writes them ({@code 2024-02-16T08:07:52.686694Z}, {@code 2014-06-02T00:00:00Z},
 * {@code …+02:00}), checked and turned into a sortable number without {@link java.time.format.DateTimeFormatter},
 * which costs more than parsing the rest of a record. Accepts {@code T} or {@code t} or a space, fractions of any
 * length (nanoseconds kept), {@code Z}/{@code z} or {@code ±hh:mm}.
 */
public final class Rfc3339 {
    private Rfc3339() {
    }

    /** Nanoseconds since the epoch (UTC), or {@link Long#MIN_VALUE} when {@code s} is not an RFC 3339 timestamp. */
    public static long epochNanos(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != 't' && t != ' ') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        long nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            int start = i;
            long scale = 100_000_000L;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == start) {
                return Long.MIN_VALUE;
            }
        }
        if (i >= n) {
            return Long.MIN_VALUE;
        }
        int offsetSeconds;
        char z = s.charAt(i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 23 || om < 0 || om > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
        } else {
            return Long.MIN_VALUE;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
        long secs = epochDay * 86_400 + hour * 3600L + minute * 60L + Math.min(second, 59) - offsetSeconds;
        return secs * 1_000_000_000L + nanos;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
