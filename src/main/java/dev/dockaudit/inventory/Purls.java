package dev.dockaudit.inventory;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Package URLs (github.com/package-url/purl-spec) for every ecosystem. OS packages are namespaced by their
 * distribution and carry {@code arch}, {@code epoch} and {@code distro} qualifiers the way Trivy and Syft
 * write them, so SBOMs and advisories line up.
 */
public final class Purls {
    private Purls() {
    }

    /** A purl, or null when the parts are not valid for the spec (never an exception: a bad name must not stop an audit). */
    public static String of(String type, String namespace, String name, String version, Map<String, String> qualifiers,
                            String subpath) {
        try {
            TreeMap<String, String> q = new TreeMap<>();
            if (qualifiers != null) {
                qualifiers.forEach((k, v) -> {
                    if (v != null && !v.isEmpty()) {
                        q.put(k, v);
                    }
                });
            }
            return new PackageURL(type, namespace, name, version, q.isEmpty() ? null : q, subpath).canonicalize();
        } catch (MalformedPackageURLException | RuntimeException e) {
            return null;
        }
    }

    /** The purl of an OS package once the distribution is known. */
    public static String forOs(Package p, OsInfo os) {
        String family = os == null ? null : os.family();
        String distro = os == null || os.version() == null ? family
                : p.type() == PackageType.APK ? os.version() : family + "-" + os.version();
        String version = p.version();
        String epoch = null;
        if (p.type() != PackageType.APK) {
            int colon = version.indexOf(':');
            if (colon > 0 && version.substring(0, colon).chars().allMatch(Character::isDigit)) {
                epoch = version.substring(0, colon);
                version = version.substring(colon + 1);
            }
        }
        Map<String, String> q = new TreeMap<>();
        q.put("arch", p.arch());
        q.put("epoch", epoch);
        q.put("distro", distro);
        return switch (p.type()) {
            case DEB -> of("deb", family == null ? "debian" : family, p.name(), version, q, null);
            case APK -> of("apk", family == null ? "alpine" : family, p.name().toLowerCase(Locale.ROOT), version, q, null);
            case RPM -> of("rpm", rpmNamespace(family), p.name(), version, q, null);
            default -> p.purl();
        };
    }

    private static String rpmNamespace(String family) {
        if (family == null) {
            return "redhat";
        }
        return switch (family) {
            case "rhel" -> "redhat";
            case "sles", "sle", "suse" -> "suse";
            case "opensuse-leap", "opensuse-tumbleweed", "opensuse" -> "opensuse";
            case "amzn" -> "amazon";
            case "ol" -> "oracle";
            default -> family;
        };
    }
}
