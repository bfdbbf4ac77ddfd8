package dev.dockaudit.vuln.osv;

/** A severity entry: {@code type} CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu, …; {@code score} the vector or rating. */
public record OsvSeverity(String type, String score) {
}
