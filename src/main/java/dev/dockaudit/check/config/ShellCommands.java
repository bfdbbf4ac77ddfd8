package dev.dockaudit.check.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a RUN step's shell text into pipelines of simple commands, well enough to see which programs it runs
 * with which arguments: quotes, escapes, {@code $(…)}, comments, {@code && || ; | &} and redirections are
 * understood; control words ({@code if then do …}), variable assignments and wrappers ({@code env}, {@code sudo},
 * {@code nohup} …) are peeled off so {@link Command#name()} is the program. {@code sh -c 'script'} is read
 * recursively. It never fails and runs in time linear in the text (nesting is bounded).
 */
public final class ShellCommands {
    private static final int MAX_DEPTH = 4;
    private static final Set<String> CONTROL = Set.of("if", "then", "else", "elif", "fi", "do", "done", "while", "until",
            "for", "in", "case", "esac", "!", "{", "}", "time", "function");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh", "mksh");

    private ShellCommands() {
    }

    /** One simple command: its words as the shell would pass them (quotes removed), wrappers peeled off. */
    public record Command(List<String> words, boolean sudo, String text) {
        public Command {
            words = List.copyOf(words);
        }

        /** The program's base name ({@code /usr/bin/apt-get} gives {@code apt-get}); "" when there is none. */
        public String name() {
            if (words.isEmpty()) {
                return "";
            }
            String w = words.get(0);
            return w.substring(w.lastIndexOf('/') + 1);
        }

        public List<String> args() {
            return words.isEmpty() ? List.of() : words.subList(1, words.size());
        }

        public boolean hasArg(String a) {
            return args().contains(a);
        }

        /**
         * The first argument that is not an option (nor the value of an option in {@code optionsWithValue}): the
         * sub-command of apt-get, apk, yum.
         */
        public String subcommand(Set<String> optionsWithValue) {
            List<String> a = args();
            for (int i = 0; i < a.size(); i++) {
                String w = a.get(i);
                if (w.startsWith("-")) {
                    if (optionsWithValue.contains(w)) {
                        i++;
                    }
                    continue;
                }
                return w;
            }
            return null;
        }
    }

    /** Commands joined by {@code |}. */
    public record Pipeline(List<Command> commands) {
        public Pipeline {
            commands = List.copyOf(commands);
        }
    }

    public static List<Pipeline> parse(String script) {
        List<Pipeline> out = new ArrayList<>();
        if (script != null) {
            new Lexer(script, out, 0).run();
        }
        return Collections.unmodifiableList(out);
    }

    /** Every simple command of every pipeline, in order. */
    public static List<Command> commands(String script) {
        List<Command> out = new ArrayList<>();
        for (Pipeline p : parse(script)) {
            out.addAll(p.commands());
        }
        return out;
    }

    private static final class Lexer {
        private final String s;
        private final List<Pipeline> out;
        private final int depth;
        private int i;
        private StringBuilder word = new StringBuilder();
        private boolean inWord;
        private boolean skipNextWord;
        private final List<String> words = new ArrayList<>();
        private int commandStart;
        private final List<Command> pipeline = new ArrayList<>();
        private final List<Pipeline> nestedPending = new ArrayList<>();

        Lexer(String s, List<Pipeline> out, int depth) {
            this.s = s;
            this.out = out;
            this.depth = depth;
        }

        void run() {
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (c == '\\') {
                    if (i + 1 < n && s.charAt(i + 1) == '\n') {
                        i += 2; // line continuation
                        continue;
                    }
                    if (i + 1 < n) {
                        append(s.charAt(i + 1));
                    }
                    i += 2;
                } else if (c == '\'') {
                    int end = s.indexOf('\'', i + 1);
                    end = end < 0 ? n : end;
                    appendRaw(s.substring(i + 1, end));
                    i = end + 1;
                } else if (c == '"') {
                    doubleQuoted();
                } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '(') {
                    int end = balanced(i + 1);
                    appendRaw(s.substring(i, Math.min(end + 1, n)));
                    i = end + 1;
                } else if (c == '`') {
                    int end = s.indexOf('`', i + 1);
                    end = end < 0 ? n : end;
                    appendRaw(s.substring(i, Math.min(end + 1, n)));
                    i = end + 1;
                } else if (c == '#' && !inWord) {
                    int end = s.indexOf('\n', i);
                    i = end < 0 ? n : end;
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    endWord();
                    i++;
                } else if (c == '\n' || c == ';') {
                    endPipeline();
                    i++;
                } else if (c == '&') {
                    if (i + 1 < n && s.charAt(i + 1) == '>') { // &> file
                        endWord();
                        skipNextWord = true;
                        i += 2;
                        if (i < n && s.charAt(i) == '>') {
                            i++;
                        }
                        continue;
                    }
                    endPipeline();
                    i += i + 1 < n && s.charAt(i + 1) == '&' ? 2 : 1;
                } else if (c == '|') {
                    if (i + 1 < n && s.charAt(i + 1) == '|') {
                        endPipeline();
                        i += 2;
                    } else {
                        endCommand();
                        i += i + 1 < n && s.charAt(i + 1) == '&' ? 2 : 1;
                    }
                } else if (c == '<' && i + 1 < n && s.charAt(i + 1) == '(') {
                    int end = balanced(i + 1);
                    appendRaw(s.substring(i, Math.min(end + 1, n)));
                    i = end + 1;
                } else if (c == '>' || c == '<') {
                    redirection();
                } else if (c == '(' || c == ')') {
                    // subshells and groups: "(apt-get update && apt-get -y upgrade) || true"
                    endPipeline();
                    i++;
                } else {
                    append(c);
                    i++;
                }
            }
            endPipeline();
        }

        private void doubleQuoted() {
            int n = s.length();
            inWord = true;
            i++;
            while (i < n && s.charAt(i) != '"') {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    char next = s.charAt(i + 1);
                    if (next == '"' || next == '\\' || next == '$' || next == '`') {
                        word.append(next);
                    } else if (next != '\n') {
                        word.append(c).append(next);
                    }
                    i += 2;
                } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '(') {
                    int end = balanced(i + 1);
                    word.append(s, i, Math.min(end + 1, n));
                    i = end + 1;
                } else {
                    word.append(c);
                    i++;
                }
            }
            i++;
        }

        /** Index of the ')' closing the '(' at {@code open}, skipping quoted text; the end of text when unclosed. */
        private int balanced(int open) {
            int d = 0;
            int n = s.length();
            for (int j = open; j < n; j++) {
                char c = s.charAt(j);
                if (c == '\\') {
                    j++;
                } else if (c == '\'') {
                    int end = s.indexOf('\'', j + 1);
                    j = end < 0 ? n : end;
                } else if (c == '(') {
                    d++;
                } else if (c == ')' && --d == 0) {
                    return j;
                }
            }
            return n;
        }

        private void redirection() {
            // "2>&1", "> file", ">> file", "< file": the target is not an argument
            if (inWord && word.chars().allMatch(Character::isDigit)) {
                word.setLength(0);
                inWord = false;
            } else {
                endWord();
            }
            int n = s.length();
            i++;
            while (i < n && (s.charAt(i) == '>' || s.charAt(i) == '|')) {
                i++;
            }
            if (i < n && s.charAt(i) == '&') {
                // >&2, >&-: a descriptor, not a file
                i++;
                while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
                    i++;
                }
                return;
            }
            skipNextWord = true;
        }

        private void append(char c) {
            if (!inWord) {
                inWord = true;
                if (words.isEmpty() && !skipNextWord) {
                    commandStart = i;
                }
            }
            word.append(c);
        }

        private void appendRaw(String text) {
            if (!inWord && words.isEmpty() && !skipNextWord) {
                commandStart = i;
            }
            inWord = true;
            word.append(text);
        }

        private void endWord() {
            if (!inWord) {
                return;
            }
            if (skipNextWord) {
                skipNextWord = false;
            } else {
                words.add(word.toString());
            }
            word = new StringBuilder();
            inWord = false;
        }

        private void endCommand() {
            endWord();
            skipNextWord = false;
            if (!words.isEmpty()) {
                String text = s.substring(Math.min(commandStart, s.length()), Math.min(i, s.length())).strip();
                Command cmd = peel(words, text);
                if (cmd != null) {
                    pipeline.add(cmd);
                    nested(cmd);
                }
            }
            words.clear();
        }

        private void endPipeline() {
            endCommand();
            if (!pipeline.isEmpty()) {
                out.add(new Pipeline(pipeline));
                pipeline.clear();
            }
            out.addAll(nestedPending);
            nestedPending.clear();
        }

        /** {@code sh -c 'apt-get update'}: the script is commands too. */
        private void nested(Command cmd) {
            if (depth >= MAX_DEPTH || !SHELLS.contains(cmd.name())) {
                return;
            }
            List<String> a = cmd.args();
            for (int k = 0; k + 1 < a.size(); k++) {
                String w = a.get(k);
                if (w.startsWith("-") && !w.startsWith("--") && w.endsWith("c")) {
                    // the script's pipelines follow the pipeline that runs it
                    new Lexer(a.get(k + 1), nestedPending, depth + 1).run();
                    return;
                }
            }
        }
    }

    /** Drops assignments, control words and wrappers in front of the program; null when nothing is left. */
    static Command peel(List<String> raw, String text) {
        List<String> w = new ArrayList<>(raw);
        boolean sudo = false;
        boolean changed = true;
        while (changed && !w.isEmpty()) {
            changed = false;
            String first = w.get(0);
            String base = first.substring(first.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            if (CONTROL.contains(first)) {
                w.remove(0);
                changed = true;
            } else if (first.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                w.remove(0);
                changed = true;
            } else if (base.equals("sudo") || base.equals("doas")) {
                sudo = true;
                w.remove(0);
                dropOptions(w, Set.of("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"));
                changed = true;
            } else if (base.equals("env")) {
                w.remove(0);
                dropOptions(w, Set.of("-u", "-C", "-S"));
                changed = true;
            } else if (base.equals("nice") || base.equals("ionice") || base.equals("stdbuf")) {
                w.remove(0);
                dropOptions(w, Set.of("-n", "-c"));
                changed = true;
            } else if (base.equals("timeout")) {
                w.remove(0);
                dropOptions(w, Set.of("-s", "-k"));
                if (!w.isEmpty()) {
                    w.remove(0); // the duration
                }
                changed = true;
            } else if (base.equals("nohup") || base.equals("exec") || base.equals("command") || base.equals("builtin")) {
                w.remove(0);
                changed = true;
            }
        }
        if (w.isEmpty()) {
            return null;
        }
        return new Command(w, sudo, text);
    }

    private static void dropOptions(List<String> w, Set<String> withValue) {
        while (!w.isEmpty() && w.get(0).startsWith("-")) {
            String o = w.remove(0);
            if (o.equals("--")) {
                return;
            }
            if (withValue.contains(o) && !w.isEmpty()) {
                w.remove(0);
            }
        }
    }
}
