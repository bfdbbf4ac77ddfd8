package dev.dockaudit.inventory.lang;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installed Ruby gems: the specifications RubyGems writes when it installs a gem,
 * {@code …/specifications/NAME-VERSION.gemspec} and {@code …/specifications/default/*.gemspec} (Ruby's default
 * gems), in any gem home (system, bundler's {@code vendor/bundle}, Debian's rubygems-integration). These are Ruby
 * code that is never run: name, version, licences and platform are read with patterns for the
 * {@code s.name = "rake".freeze} lines RubyGems generates, with the {@code # stub: NAME VERSION PLATFORM} line as a
 * fallback. A gem built for a platform gets the purl qualifier {@code platform}.
 */
public final class RubyGemspecAnalyzer implements FileAnalyzer {
    static final long MAX_FILE = 1L << 20;
    private static final Pattern NAME = Pattern.compile("(?m)^\\s*\\w+\\.name\\s*=\\s*([\"'])([^\"'\\n]+)\\1");
    private static final Pattern VERSION = Pattern.compile(
            "(?m)^\\s*\\w+\\.version\\s*=\\s*(?:Gem::Version\\.new\\(\\s*)?([\"'])([^\"'\\n]+)\\1");
    private static final Pattern LICENSES = Pattern.compile("(?m)^\\s*\\w+\\.licenses?\\s*=\\s*(\\[[^\\]\\n]*\\]|([\"'])[^\"'\\n]*\\2)");
    private static final Pattern PLATFORM = Pattern.compile("(?m)^\\s*\\w+\\.platform\\s*=\\s*([\"'])([^\"'\\n]+)\\1");
    private static final Pattern QUOTED = Pattern.compile("([\"'])([^\"'\\n]*)\\1");
    private static final Pattern STUB = Pattern.compile("(?m)^# stub: (\\S+) (\\S+) (\\S+)");

    @Override
    public String name() {
        return "gem";
    }

    @Override
    public boolean wants(LayerFile f) {
        if (!f.isRegular() || f.size() > MAX_FILE || !f.path().endsWith(".gemspec")) {
            return false;
        }
        String p = f.path();
        String dir = p.substring(0, Math.max(p.lastIndexOf('/'), 0));
        return dir.equals("specifications") || dir.endsWith("/specifications")
                || dir.endsWith("/specifications/default");
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        String text = new String(in.bytes((int) MAX_FILE), StandardCharsets.UTF_8);
        String name = group(NAME, text, 2);
        String version = group(VERSION, text, 2);
        String platform = group(PLATFORM, text, 2);
        Matcher stub = STUB.matcher(text);
        if (stub.find()) {
            name = name == null ? stub.group(1) : name;
            version = version == null ? stub.group(2) : version;
            platform = platform == null ? stub.group(3) : platform;
        }
        if (LangSupport.isBlank(name) || LangSupport.isBlank(version)) {
            return FileResult.of(List.of(), List.of("no gem name and version found (truncated or not a generated"
                    + " gemspec); skipped"));
        }
        List<String> licenses = new ArrayList<>();
        Matcher lm = LICENSES.matcher(text);
        if (lm.find()) {
            Matcher q = QUOTED.matcher(lm.group(1));
            while (q.find()) {
                String l = LangSupport.licenseOrNull(q.group(2));
                if (l != null && !licenses.contains(l)) {
                    licenses.add(l);
                }
            }
        }
        Map<String, String> qualifiers = new TreeMap<>();
        Map<String, String> meta = new TreeMap<>();
        if (platform != null && !platform.equals("ruby")) {
            qualifiers.put("platform", platform);
            meta.put("platform", platform);
        }
        if (in.path().contains("/specifications/default/")) {
            meta.put("defaultGem", "true");
        }
        return FileResult.of(List.of(LangSupport.pkg(name, version, PackageType.GEM,
                Purls.of("gem", null, name, version, qualifiers, null), licenses, "/" + in.path(), meta)));
    }

    private static String group(Pattern p, String text, int g) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(g).strip() : null;
    }
}
