package dev.dockaudit.check.history;

import dev.dockaudit.check.config.BuildInstruction;
import dev.dockaudit.check.config.BuildStep;
import dev.dockaudit.check.config.ConfigChecks;
import dev.dockaudit.check.config.ConfigResult;
import dev.dockaudit.util.Redact;
import dev.dockaudit.check.config.StepFinding;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.report.Finding;
import dev.dockaudit.util.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code docker history} as data, judged: one row per build step with its size and findings, the build args the
 * history exposes, and the layer efficiency (dive's definition, see {@link Efficiency}) with optional limits that
 * turn into failing findings. Entry point for the pipeline and for {@code dockaudit history}.
 */
public final class HistoryAnalysis {
    private HistoryAnalysis() {
    }

    /**
     * Limits that fail the audit.
     *
     * @param maxWastedBytes fail above this many wasted bytes; null for no limit
     * @param minEfficiency  fail below this score (0..1); null for no limit
     */
    public record Limits(Long maxWastedBytes, Double minEfficiency) {
        public static final Limits NONE = new Limits(null, null);
    }

    /**
     * Analyzes an image read with walked layers (sizes and efficiency need the entries; without them those parts
     * are null and a note says so).
     *
     * @param config the configuration checks' result, whose per-step findings go beside their steps; may be null
     */
    public static HistoryReport analyze(Image image, ConfigResult config, Limits limits) {
        return analyze(image, config, limits, ConfigChecks.merged(image));
    }

    public static HistoryReport analyze(Image image, ConfigResult config, Limits limits, MergedFilesystem fs) {
        Limits lim = limits == null ? Limits.NONE : limits;
        List<BuildStep> steps = BuildStep.of(image.history(), image.layers());
        List<StepFinding> own = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        buildArgs(steps, own);
        boolean walked = fs != null;
        long[] removedLater = new long[image.layers().size()];
        if (walked) {
            for (MergedFilesystem.Deleted d : fs.deleted()) {
                if (d.file().type() == LayerFile.Type.FILE && d.layer() < removedLater.length) {
                    removedLater[d.layer()] += d.file().size();
                }
            }
        } else {
            notes.add("history: the layers were not walked, so layer sizes and efficiency are unknown");
        }
        Efficiency.Result efficiency = null;
        if (walked) {
            List<List<LayerFile>> entries = new ArrayList<>();
            image.layers().forEach(l -> entries.add(l.scan().files()));
            efficiency = Efficiency.compute(entries);
            efficiencyFindings(efficiency, lim, own);
        }
        List<HistoryRow> rows = new ArrayList<>();
        int withoutEntry = 0;
        int missing = 0;
        for (BuildStep s : steps) {
            List<Finding> findings = new ArrayList<>();
            if (config != null) {
                findings.addAll(config.forStep(s.index()));
            }
            for (StepFinding f : own) {
                if (f.step() == s.index()) {
                    findings.add(f.finding());
                }
            }
            Long size = null;
            if (s.layer() == null) {
                size = s.layerMissing() ? null : 0L;
            } else if (s.files() != null) {
                size = LayerSizes.docker(s.files());
            }
            if (s.entry() == null) {
                withoutEntry++;
            }
            if (s.layerMissing()) {
                missing++;
            }
            rows.add(new HistoryRow(s.index(), s.entry() == null ? null : s.entry().created(), s.createdBy(),
                    s.entry() == null ? null : s.entry().comment(), s.emptyLayer(),
                    s.layer() == null ? null : s.layer().index(), s.diffId(), size,
                    s.layer() == null ? 0 : removedLater[s.layer().index()], s.entry() != null, s.layerMissing(), findings));
        }
        if (image.config() == null) {
            notes.add("history: a root filesystem has no image config and so no build steps; it is listed as one"
                    + " layer");
        } else if (image.history().isEmpty() && !image.layers().isEmpty()) {
            notes.add("history: the image config has no history; each layer is listed without a build step");
        } else if (withoutEntry > 0) {
            notes.add("history: " + withoutEntry + " of " + image.layers().size() + " layers have no history entry (the"
                    + " history has fewer non-empty entries than there are layers, as for imported images); they are"
                    + " listed last, and docker history would not show them");
        }
        if (missing > 0) {
            notes.add("history: " + missing + " history entr" + (missing == 1 ? "y claims a layer" : "ies claim layers")
                    + " the image does not have; docker history refuses such an image");
        }
        return new HistoryReport(rows, efficiency, own, notes);
    }

    // ---- build args ----------------------------------------------------------------------------------------------

    /** One secret value the history records, in every step that records it. */
    private static final class Leak {
        final String name;
        final String value;
        final BuildStep first;
        final boolean asDefault;
        final List<Integer> steps = new ArrayList<>();

        Leak(String name, String value, BuildStep first, boolean asDefault) {
            this.name = name;
            this.value = value;
            this.first = first;
            this.asDefault = asDefault;
        }
    }

    /**
     * The classic builder records every build arg in scope before each later RUN ({@code |N KEY=value}) and an ARG
     * default as a step of its own ({@code ARG KEY=value}); BuildKit records the args a RUN uses. One finding per
     * secret value, on the first step that shows it, naming every step that does; one INFO finding per step that
     * introduces other build args.
     */
    private static void buildArgs(List<BuildStep> steps, List<StepFinding> out) {
        Map<String, Leak> leaks = new java.util.LinkedHashMap<>();
        java.util.Set<String> seenNames = new java.util.HashSet<>();
        List<StepFinding> infos = new ArrayList<>();
        for (BuildStep s : steps) {
            BuildInstruction in = s.instruction();
            Map<String, String> args = in.buildArgs();
            boolean isArg = "ARG".equals(in.keyword());
            if (isArg) {
                args = argDefault(in.arguments());
            }
            if (args.isEmpty()) {
                continue;
            }
            List<String> fresh = new ArrayList<>();
            List<String> shown = new ArrayList<>();
            for (Map.Entry<String, String> a : args.entrySet()) {
                String v = a.getValue();
                boolean secret = Redact.strictSecretName(a.getKey()) && !v.isEmpty() && !v.startsWith("$");
                if (secret) {
                    leaks.computeIfAbsent(a.getKey() + "\u0000" + v, k -> new Leak(a.getKey(), v, s, isArg)).steps.add(s.index());
                } else if (seenNames.add(a.getKey()) && !isArg) {
                    fresh.add(a.getKey());
                }
                if (secret) {
                    seenNames.add(a.getKey());
                }
                shown.add(a.getKey() + "=" + (v.isEmpty() ? "" : Redact.secretName(a.getKey()) || secret
                        ? Redact.mask(v) : Redact.evidence(v, 80)));
            }
            if (!fresh.isEmpty()) {
                infos.add(new StepFinding(HistoryRule.BUILD_ARGS.finding("Build arg" + (fresh.size() == 1 ? " " : "s ")
                                + String.join(", ", fresh) + " recorded in the image history")
                        .description("docker history shows the build args this step used ('|N KEY=value' before the"
                                + " command); none has a secret-looking name.")
                        .layer(s.diffId())
                        .evidence("history[" + s.index() + "].created_by records " + args.size() + " build arg"
                                + (args.size() == 1 ? "" : "s") + ": " + String.join(", ", shown))
                        .build(), s.index()));
            }
        }
        for (Leak l : leaks.values()) {
            List<String> where = new ArrayList<>();
            l.steps.forEach(i -> where.add(String.valueOf(i)));
            out.add(new StepFinding(HistoryRule.BUILD_ARG_SECRET.finding("Build arg " + l.name + " recorded in the image"
                            + " history")
                    .description("Build args show in docker history: the builder records "
                            + (l.asDefault ? "an ARG instruction with its default value as a step of its own, and " : "")
                            + "the build args in scope as '|N KEY=value' in front of each RUN step's command, so anyone"
                            + " who can pull this image reads " + l.name + " in clear text with docker history --no-trunc,"
                            + " although the value is in no layer. Treat it as leaked.")
                    .layer(l.first.diffId())
                    .evidence("history[" + l.first.index() + "].created_by" + (l.asDefault ? ": ARG " : " records ")
                            + l.name + "=" + Redact.mask(l.value) + (l.steps.size() == 1 ? "" : "; the same value is in"
                            + " the created_by of steps " + String.join(", ", where)))
                    .build(), l.first.index()));
        }
        out.addAll(infos);
    }

    /** {@code NAME=default} of an ARG step, unquoted; empty without a default. */
    private static Map<String, String> argDefault(String arguments) {
        String a = arguments.strip();
        int eq = a.indexOf('=');
        if (eq <= 0) {
            return Map.of();
        }
        String value = a.substring(eq + 1).strip();
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        return Map.of(a.substring(0, eq).strip(), value);
    }

    // ---- efficiency ---------------------------------------------------------------------------------------------

    private static void efficiencyFindings(Efficiency.Result e, Limits lim, List<StepFinding> out) {
        String summary = String.format(Locale.ROOT, "efficiency %.4f (dive's score), wasted %d bytes (%s) in %d path%s of %d"
                        + " image bytes", e.score(), e.wastedBytes(), Sizes.human(e.wastedBytes()), e.files().size(),
                e.files().size() == 1 ? "" : "s", e.imageBytes());
        String largest = e.files().isEmpty() ? "" : "; largest: " + e.files().get(0).path() + " "
                + e.files().get(0).wastedBytes() + " bytes in " + e.files().get(0).count() + " layers";
        if (e.wastedBytes() > 0) {
            out.add(new StepFinding(HistoryRule.WASTED_SPACE.finding(Sizes.human(e.wastedBytes())
                            + " shipped in files that later layers overwrite or remove")
                    .description("Files written in one layer and overwritten or deleted in a later one still ship in the"
                            + " earlier layer: every pull downloads them. Counted as dive counts: each copy of such a"
                            + " path, the surviving one included.")
                    .evidence(summary + largest)
                    .build(), -1));
        }
        if (lim.maxWastedBytes() != null && e.wastedBytes() > lim.maxWastedBytes()) {
            out.add(new StepFinding(HistoryRule.MAX_WASTED_BYTES.finding("Wasted bytes " + e.wastedBytes()
                            + " exceed --max-wasted-bytes " + lim.maxWastedBytes())
                    .description("The image wastes " + Sizes.human(e.wastedBytes()) + "; the limit is "
                            + Sizes.human(lim.maxWastedBytes()) + ".")
                    .evidence(summary + largest)
                    .build(), -1));
        }
        if (lim.minEfficiency() != null && e.score() < lim.minEfficiency()) {
            out.add(new StepFinding(HistoryRule.MIN_EFFICIENCY.finding(String.format(Locale.ROOT,
                            "Efficiency %.4f is below --min-efficiency %s", e.score(), lim.minEfficiency()))
                    .description("dive's efficiency score (Σ smallest copy of each path / Σ all copies) is below the"
                            + " required minimum.")
                    .evidence(summary + largest)
                    .build(), -1));
        }
    }
}
