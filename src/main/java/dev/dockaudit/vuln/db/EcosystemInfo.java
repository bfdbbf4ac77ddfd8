package dev.dockaudit.vuln.db;

/** One ecosystem as OSV writes it ({@code Debian:12}), with its record and affected-entry counts. */
public record EcosystemInfo(String ecosystem, int records, int affected, boolean known) {
}
