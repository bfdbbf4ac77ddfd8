package dev.dockaudit.report.html;

/** Lets tests outside the package escape text the way the pages do, to find it in a page. */
public final class HtmlTestAccess {
    private HtmlTestAccess() {
    }

    public static String escape(String s) {
        return HtmlOut.escape(s);
    }
}
