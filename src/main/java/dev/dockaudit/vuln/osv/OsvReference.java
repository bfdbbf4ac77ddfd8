package dev.dockaudit.vuln.osv;

/** A reference: {@code type} ADVISORY, ARTICLE, FIX, PACKAGE, REPORT, WEB, …; and its URL. */
public record OsvReference(String type, String url) {
}
