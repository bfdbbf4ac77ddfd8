package dev.dockaudit.vuln.version;

/**
 * NuGet package versions ordered as NuGet.Versioning's {@code VersionComparer.Default}: SemVer 2.0 with NuGet's
 * legacy extensions.
 *
 * <ul>
 * <li>{@code Major[.Minor[.Patch[.Revision]]][-label(.label)*][+metadata]}: one to four numbers (missing = 0, leading
 * zeros allowed, any size), then optional pre-release labels and build metadata (ignored).</li>
 * <li>A release is higher than any pre-release of it; labels compare one by one, numeric labels by value and below
 * alphanumeric labels, alphanumeric labels case-insensitively; more labels is higher when the shared ones are
 * equal.</li>
 * </ul>
 */
public final class NuGetVersion implements VersionComparator {

    public static final NuGetVersion INSTANCE = new NuGetVersion();
    private static final String SCHEME = "nuget";

    private NuGetVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public boolean isValid(String v) {
        try {
            parse(v);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    @Override
    public int compare(String a, String b) {
        Parsed pa = parse(a);
        Parsed pb = parse(b);
        for (int k = 0; k < 4; k++) {
            int r = Chars.compareDigits(a, pa.numStart[k], pa.numEnd[k], b, pb.numStart[k], pb.numEnd[k]);
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        return SemverVersion.comparePrerelease(a, pa.preStart, pa.preEnd, b, pb.preStart, pb.preEnd, true);
    }

    private static final class Parsed {
        final int[] numStart = new int[4];
        final int[] numEnd = new int[4];
        int preStart = -1;
        int preEnd = -1;
    }

    private static Parsed parse(String v) {
        Chars.checkCommon(SCHEME, v);
        Parsed p = new Parsed();
        int n = v.length();
        int i = 0;
        int count = 0;
        while (true) {
            int s = i;
            while (i < n && Chars.isDigit(v.charAt(i))) {
                i++;
            }
            if (s == i) {
                throw new InvalidVersionException(SCHEME, v, count == 0
                        ? "must start with a number" : "empty or non-numeric version part " + (count + 1));
            }
            p.numStart[count] = s;
            p.numEnd[count] = i;
            count++;
            if (i < n && v.charAt(i) == '.') {
                if (count == 4) {
                    throw new InvalidVersionException(SCHEME, v, "more than four version numbers");
                }
                i++;
                continue;
            }
            break;
        }
        for (int k = count; k < 4; k++) {
            p.numStart[k] = 0;
            p.numEnd[k] = 0;
        }
        if (i < n && v.charAt(i) == '-') {
            i++;
            p.preStart = i;
            i = SemverVersion.identifiers(v, i, SCHEME, "pre-release label");
            p.preEnd = i;
        }
        if (i < n && v.charAt(i) == '+') {
            i = SemverVersion.identifiers(v, i + 1, SCHEME, "metadata");
        }
        if (i < n) {
            throw new InvalidVersionException(SCHEME, v, "unexpected " + Chars.describe(v.charAt(i))
                    + " at position " + (i + 1));
        }
        return p;
    }
}
