package dev.dockaudit.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.util.Locale;

/** An OCI platform: os/architecture[/variant], compared the way docker and containerd compare them. */
public record Platform(String os, String architecture, String variant) {

    public static Platform parse(String s) {
        String[] parts = s.trim().toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("'" + s + "' is not a platform; use os/arch[/variant], e.g. linux/arm64/v8");
        }
        return new Platform(parts[0], normaliseArch(parts[1]), parts.length == 3 ? parts[2] : null);
    }

    public static Platform fromJson(JsonNode node) {
        if (node == null || node.isNull() || Json.text(node, "architecture") == null) {
            return null;
        }
        return new Platform(Json.text(node, "os"), normaliseArch(Json.text(node, "architecture")),
                emptyToNull(Json.text(node, "variant")));
    }

    /** The platform the JVM runs on, which is what docker pulls by default. */
    public static Platform host() {
        return new Platform("linux", normaliseArch(System.getProperty("os.arch")), null);
    }

    /** True when an image for {@code candidate} satisfies a request for this platform. */
    public boolean accepts(Platform candidate) {
        if (candidate == null || !eq(os, candidate.os) || !eq(architecture, candidate.architecture)) {
            return false;
        }
        if (variant == null) {
            return true;
        }
        return eq(normaliseVariant(architecture, variant), normaliseVariant(candidate.architecture, candidate.variant));
    }

    private static boolean eq(String a, String b) {
        return a != null && a.equalsIgnoreCase(b);
    }

    private static String normaliseVariant(String arch, String variant) {
        // arm64 images usually omit their only variant, v8.
        if (variant == null && "arm64".equals(arch)) {
            return "v8";
        }
        return variant;
    }

    static String normaliseArch(String arch) {
        if (arch == null) {
            return null;
        }
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i686", "x86", "386" -> "386";
            default -> arch.toLowerCase(Locale.ROOT);
        };
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
