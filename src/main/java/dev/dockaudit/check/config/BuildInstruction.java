package dev.dockaudit.check.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A history entry's {@code created_by}, read back into the Dockerfile instruction that wrote it. Builders write it
 * differently:
 * <ul>
 * <li>the classic builder: {@code /bin/sh -c #(nop)  ENV A=b}, {@code /bin/sh -c #(nop) ADD file:<sha> in /dest },
 *     and for RUN the command as run, {@code /bin/sh -c apt-get update} (or the exec form's words), prefixed by
 *     {@code |N KEY=value …} when build args were in scope;</li>
 * <li>BuildKit: the instruction itself, {@code RUN /bin/sh -c apk add x # buildkit}, {@code ADD a.txt /a # buildkit},
 *     {@code COPY --from=build /out /app # buildkit}, {@code EXPOSE map[22/tcp:{}]}, with the same {@code |N} prefix
 *     after RUN;</li>
 * <li>anything else: empty (docker import), free text (docker commit -m, debuerreotype's {@code # debian.sh …}).</li>
 * </ul>
 *
 * @param keyword     the instruction in upper case (RUN, ADD, COPY, ENV, …), or null when the text is not one
 * @param arguments   what followed the keyword (for RUN: the command, without shell prefix or build args)
 * @param shell       for RUN in shell form, the shell that ran it ({@code /bin/sh -c}); null for the exec form
 * @param buildArgs   the build args recorded with a RUN ({@code |N KEY=value}), in order
 * @param buildKit    whether BuildKit wrote it ({@code # buildkit} suffix or a keyword prefix)
 * @param guessed     true when the keyword is a guess: classic exec-form RUN and free text look alike
 */
public record BuildInstruction(String keyword, String arguments, String shell, Map<String, String> buildArgs,
                               boolean buildKit, boolean guessed) {

    private static final Set<String> KEYWORDS = Set.of("RUN", "ADD", "COPY", "ENV", "CMD", "ENTRYPOINT", "EXPOSE",
            "VOLUME", "USER", "WORKDIR", "LABEL", "ARG", "HEALTHCHECK", "SHELL", "STOPSIGNAL", "ONBUILD", "MAINTAINER");
    private static final String BUILDKIT_SUFFIX = "# buildkit";
    private static final String NOP = "#(nop)";
    private static final Pattern ARG_COUNT = Pattern.compile("^\\|(\\d+)(?:\\s+|$)");
    private static final Pattern ARG_START = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=");
    /**
     * {@code /bin/sh -c }, {@code /bin/bash -o pipefail -c }, {@code cmd /S /C }, {@code powershell -Command }. Every
     * repetition is bounded: java.util.regex recurses per repetition, and created_by is the image author's text.
     */
    private static final Pattern SHELL_PREFIX = Pattern.compile(
            "^((?:/[\\w.+-]{1,64}){0,8}/?(?:sh|bash|ash|dash|zsh|ksh|busybox sh)"
                    + "(?:\\s{1,4}-[A-Za-z]{1,16}(?:\\s{1,4}[a-z]{1,32})?){0,8}?\\s{1,4}-[a-z]{0,8}c"
                    + "|cmd(?:\\.exe)?\\s{1,4}/S\\s{1,4}/C|(?:powershell|pwsh)(?:\\.exe)?"
                    + "(?:\\s{1,4}-\\w{1,32}(?:\\s{1,4}\\w{1,32})?){0,8}?\\s{1,4}-[Cc]ommand)"
                    + "(?:\\s+|$)");

    public BuildInstruction {
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
    }

    /** True for RUN steps, including the guessed exec-form ones. */
    public boolean isRun() {
        return "RUN".equals(keyword);
    }

    /** The shell command of a RUN (shell or exec form); null for other instructions. */
    public String command() {
        return isRun() ? arguments : null;
    }

    /** Reads one {@code created_by}; never fails (unknown text gives a null keyword). */
    public static BuildInstruction parse(String createdBy) {
        if (createdBy == null || createdBy.isBlank()) {
            return new BuildInstruction(null, "", null, Map.of(), false, false);
        }
        String s = createdBy.strip();
        boolean buildKit = false;
        if (s.endsWith(BUILDKIT_SUFFIX)) {
            buildKit = true;
            s = s.substring(0, s.length() - BUILDKIT_SUFFIX.length()).strip();
        }
        int nop = s.indexOf(NOP);
        if (nop >= 0 && nop < 40) {
            // "/bin/sh -c #(nop)  ENV A=b", "cmd /S /C #(nop) …": the shell words before the marker say nothing
            String rest = s.substring(nop + NOP.length()).strip();
            String word = firstWord(rest);
            String kw = word.toUpperCase(Locale.ROOT);
            if (KEYWORDS.contains(kw)) {
                return new BuildInstruction(kw, rest.substring(word.length()).strip(), null, Map.of(), buildKit, false);
            }
            return new BuildInstruction(null, rest, null, Map.of(), buildKit, false);
        }
        String word = firstWord(s);
        if (KEYWORDS.contains(word) && !word.equals(s)) {
            // BuildKit style: the instruction keyword in upper case, as written in the Dockerfile
            String rest = s.substring(word.length()).strip();
            if (word.equals("RUN")) {
                return run(rest, true, false);
            }
            return new BuildInstruction(word, rest, null, Map.of(), true, false);
        }
        if (s.startsWith("#")) {
            return new BuildInstruction(null, s, null, Map.of(), buildKit, false);
        }
        return run(s, buildKit, true);
    }

    /** A RUN's text after the keyword: optional {@code |N} build args, then a shell prefix or the exec-form words. */
    private static BuildInstruction run(String text, boolean buildKit, boolean classic) {
        Map<String, String> args = new LinkedHashMap<>();
        String rest = text;
        Matcher count = ARG_COUNT.matcher(rest);
        if (count.find()) {
            int n;
            try {
                n = Integer.parseInt(count.group(1));
            } catch (NumberFormatException e) {
                n = 0;
            }
            rest = parseArgs(rest.substring(count.end()), n, args);
        }
        Matcher shell = SHELL_PREFIX.matcher(rest);
        if (shell.find()) {
            return new BuildInstruction("RUN", rest.substring(shell.end()), shell.group(1), args, buildKit, false);
        }
        // Classic exec-form RUN and free text (docker commit, other tools) cannot be told apart; a RUN is the
        // likelier reading, and every check on RUN text looks for specific commands.
        return new BuildInstruction("RUN", rest, null, args, buildKit, classic && args.isEmpty());
    }

    /**
     * Reads {@code n} KEY=value words. The builder joins words with a space without quoting, so a value may contain
     * spaces: an argument runs up to the next KEY=, the last one up to where the shell prefix starts (or one word
     * when there is no shell prefix, the exec form).
     */
    private static String parseArgs(String s, int n, Map<String, String> out) {
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (i == 0 || s.charAt(i - 1) == ' ') {
                offsets.add(i);
            }
        }
        List<Integer> starts = new ArrayList<>();
        Matcher arg = ARG_START.matcher(s);
        for (int w = 0; w < offsets.size() && starts.size() < n; w++) {
            arg.region(offsets.get(w), s.length());
            if (arg.lookingAt() && (starts.isEmpty() || w > starts.get(starts.size() - 1))) {
                starts.add(w);
            }
        }
        if (starts.isEmpty()) {
            return s;
        }
        int last = starts.get(starts.size() - 1);
        int command = last + 1;
        Matcher shell = SHELL_PREFIX.matcher(s);
        for (int w = last + 1; w < offsets.size(); w++) {
            shell.region(offsets.get(w), s.length());
            if (shell.lookingAt()) {
                command = w;
                break;
            }
        }
        for (int a = 0; a < starts.size(); a++) {
            int from = offsets.get(starts.get(a));
            int toWord = a + 1 < starts.size() ? starts.get(a + 1) : command;
            int to = toWord < offsets.size() ? offsets.get(toWord) - 1 : s.length();
            String kv = s.substring(from, Math.max(from, to));
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return command < offsets.size() ? s.substring(offsets.get(command)) : "";
    }

    private static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(0, i);
    }

    /** For ADD/COPY: the source words (flags dropped; classic history has {@code file:<sha> in <dest>}). */
    public List<String> copySources() {
        if (!"ADD".equals(keyword) && !"COPY".equals(keyword)) {
            return List.of();
        }
        String a = arguments.strip();
        if (a.startsWith("[")) {
            // JSON form: ["src", …, "dest"]
            List<String> parts = new ArrayList<>();
            try {
                dev.dockaudit.util.Json.MAPPER.readTree(a).forEach(n -> parts.add(n.asText()));
            } catch (java.io.IOException | RuntimeException e) {
                return List.of();
            }
            return parts.size() <= 1 ? List.of() : parts.subList(0, parts.size() - 1);
        }
        List<String> words = new ArrayList<>();
        for (String w : a.split("\\s+")) {
            if (!w.isEmpty() && !w.startsWith("--")) {
                words.add(w);
            }
        }
        int in = words.indexOf("in");
        if (in > 0 && !buildKit) {
            return words.subList(0, in);
        }
        return words.size() <= 1 ? List.of() : words.subList(0, words.size() - 1);
    }
}
