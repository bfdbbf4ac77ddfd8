package dev.dockaudit.report.sbom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.report.Report;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Small pieces both SBOM writers share. */
final class Sboms {
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Sboms() {
    }

    /** {@code 2026-11-26T15:55:00Z}: UTC to the second, the form SPDX requires and CycloneDX accepts. */
    static String timestamp(Instant t) {
        return UTC_SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The report's inventory, or an empty one when the command took none. */
    static Inventory inventory(Report report) {
        Inventory inv = report.inventory();
        return inv != null ? inv : new Inventory(null, List.of(), List.of());
    }

    /** Writes indented JSON and a newline, and leaves {@code out} open (it may be stdout). */
    static void write(JsonNode doc, OutputStream out) throws IOException {
        Json.MAPPER.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, doc);
        out.write('\n');
        out.flush();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
