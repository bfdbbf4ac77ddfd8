package dev.dockaudit.check.secret;

import dev.dockaudit.util.Glob;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.Set;

/**
 * Keeps a match out of the report. The kinds of condition combine with AND, the entries of one kind with OR:
 * an allow rule with {@code paths} and {@code secrets} ignores those secret values in those files only.
 * An allow rule with only {@code paths} and no {@code rules} means the files are not read at all.
 *
 * @param rules   rule ids it applies to; empty for every rule
 * @param secrets regexes searched in the secret value
 * @param lines   regexes searched in the whole line holding the match
 * @param paths   globs over the file's path (image paths have no leading slash)
 */
public record AllowRule(String id, String description, Set<String> rules, List<Pattern> secrets, List<Pattern> lines,
                        List<Glob> paths, boolean builtIn) {

    /** True when this rule skips whole files, whatever they hold. */
    boolean skipsFiles() {
        return rules.isEmpty() && secrets.isEmpty() && lines.isEmpty() && !paths.isEmpty();
    }

    boolean matchesPath(String path) {
        if (paths.isEmpty()) {
            return true;
        }
        if (path == null) {
            return false;
        }
        for (Glob g : paths) {
            if (g.matches(path)) {
                return true;
            }
        }
        return false;
    }

    boolean allows(String ruleId, String path, String secret, String line) {
        if (!rules.isEmpty() && !rules.contains(ruleId)) {
            return false;
        }
        if (!matchesPath(path)) {
            return false;
        }
        if (!secrets.isEmpty() && !anyFind(secrets, secret)) {
            return false;
        }
        return lines.isEmpty() || anyFind(lines, line);
    }

    private static boolean anyFind(List<Pattern> patterns, String s) {
        for (Pattern p : patterns) {
            if (p.matcher(s).find()) {
                return true;
            }
        }
        return false;
    }
}
