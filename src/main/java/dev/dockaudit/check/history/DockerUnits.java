package dev.dockaudit.check.history;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Sizes printed exactly as {@code docker history} prints them: go-units' {@code HumanSizeWithPrecision(size, 3)},
 * decimal units (1 kB = 1000 B) and Go's {@code %.3g}, so "7.35MB", "0B", "1e+03kB" match byte for byte.
 */
public final class DockerUnits {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private DockerUnits() {
    }

    public static String humanSize(long bytes) {
        double size = bytes;
        int i = 0;
        while (size >= 1000.0 && i < UNITS.length - 1) {
            size /= 1000.0;
            i++;
        }
        return formatG(size, 3) + UNITS[i];
    }

    /** Go's {@code %.<precision>g}: shortest of %e and %f after rounding to {@code precision} significant digits. */
    static String formatG(double v, int precision) {
        if (v == 0) {
            return "0";
        }
        BigDecimal bd = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = bd.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.scale() <= 0 ? mantissa.toBigInteger().toString() : mantissa.toPlainString();
            String e = String.valueOf(Math.abs(exponent));
            return m + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        BigDecimal stripped = bd.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }
}
