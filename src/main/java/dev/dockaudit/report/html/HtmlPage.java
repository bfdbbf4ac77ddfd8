package dev.dockaudit.report.html;

import dev.dockaudit.report.ToolInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The page around a report: one file with its stylesheet and script inline, and a Content-Security-Policy that allows
 * exactly those two (by hash) and nothing else, so markup an image smuggled past escaping could neither run nor load
 * anything. Hashes rather than a nonce keep the output byte-for-byte deterministic.
 */
final class HtmlPage {
    static final String CSS = resource("report.css");
    static final String JS = resource("report.js");
    static final String CSP = "default-src 'none'; script-src '" + sha256(JS) + "'; style-src '" + sha256(CSS)
            + "'; img-src data:; base-uri 'none'; form-action 'none'";

    private HtmlPage() {
    }

    /** Writes the document head and opens the body; {@link #end} closes it. */
    static void begin(HtmlOut o, String title, String heading, String subtitle) {
        o.raw("<!DOCTYPE html>\n");
        o.open("html", "lang", "en").nl();
        o.open("head").nl();
        o.empty("meta", "charset", "utf-8").nl();
        o.empty("meta", "http-equiv", "Content-Security-Policy", "content", CSP).nl();
        o.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1").nl();
        o.empty("meta", "name", "generator", "content", ToolInfo.NAME + " " + ToolInfo.VERSION).nl();
        o.el("title", title).nl();
        o.open("style").raw(CSS).close("style").nl();
        o.close("head").nl();
        o.open("body").nl();
        o.open("header", "class", "top");
        o.el("h1", heading);
        o.el("p", subtitle);
        o.close("header").nl();
        o.open("main").nl();
    }

    static void end(HtmlOut o) {
        o.close("main").nl();
        o.open("script").raw(JS).close("script").nl();
        o.close("body").nl();
        o.close("html").nl();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream("/dockaudit/html/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dockaudit/html/" + name + " (a broken build)");
            }
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (s.contains("</")) {
                // would end the inline element early
                throw new IllegalStateException("dockaudit/html/" + name + " must not contain '</'");
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
