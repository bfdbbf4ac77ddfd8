package dev.dockaudit.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dockaudit.cli.ConfigDefaults.Value;
import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.triage.IgnoreFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads dockaudit.yaml into keys, sections and ignore rules, each value with its line (checking is ConfigDefaults'). */
final class ConfigYaml {
    private static final long MAX_BYTES = 1024 * 1024;
    private static final String CONFIG_ENV = ConfigDefaults.CONFIG_ENV;

    private ConfigYaml() {
    }


    static byte[] read(Path file, String name, boolean named) {
        try {
            if (Files.isDirectory(file)) {
                throw new UserError("config file " + name + " is a directory; pass a YAML file to --config");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new UserError("config file " + name + " is larger than 1 MiB; it should hold option defaults");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("config file " + name + " does not exist; check --config or $" + CONFIG_ENV
                    + (named ? "" : " (or remove the broken link " + name + ")"));
        } catch (IOException e) {
            throw new UserError("cannot read config file " + name + " (" + e.getMessage() + "); check its permissions");
        }
    }

    record Parsed(Map<String, Value> top, Map<String, Map<String, Value>> sections, IgnoreFile ignore) {
    }

    /** Command names a section may use; checked against the real commands once they are known. */
    private static boolean isSection(String key) {
        return Main.COMMANDS.containsKey(key);
    }

    static Parsed parse(byte[] yaml, String name) {
        Map<String, Value> top = new LinkedHashMap<>();
        Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
        IgnoreFile ignore = null;
        try (JsonParser p = YAMLFactory.builder().build().createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_STRING && p.getText().isBlank()) {
                return new Parsed(top, sections, null);
            }
            if (t != JsonToken.START_OBJECT) {
                throw error(name, p.currentTokenLocation(), "the config file must be a mapping of option names to"
                        + " values, e.g. 'fail-on: HIGH'");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int line = p.currentTokenLocation().getLineNr();
                JsonToken v = p.nextToken();
                if (key.equals("ignore")) {
                    if (v == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (v != JsonToken.START_ARRAY) {
                        throw error(name, p.currentTokenLocation(), "ignore: must be a list of entries like"
                                + " '- id: CVE-2021-36159' (as in .dockauditignore)");
                    }
                    ignore = IgnoreFile.readList(p, name, LocalDate.now());
                    continue;
                }
                if (v == JsonToken.START_OBJECT) {
                    if (!isSection(key)) {
                        throw new UserError(name + " line " + line + ": '" + key + "' is not a command, so it cannot"
                                + " hold a section; sections are named after commands: "
                                + String.join(", ", Main.COMMANDS.keySet()));
                    }
                    Map<String, Value> section = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        int l = p.currentTokenLocation().getLineNr();
                        JsonToken sv = p.nextToken();
                        if (section.put(k, value(p, sv, name, k, l)) != null) {
                            throw new UserError(name + " line " + l + ": '" + k + "' is given twice in " + key + ":");
                        }
                    }
                    if (sections.put(key, section) != null) {
                        throw new UserError(name + " line " + line + ": the section '" + key + "' is given twice");
                    }
                    continue;
                }
                if (top.put(key, value(p, v, name, key, line)) != null) {
                    throw new UserError(name + " line " + line + ": '" + key + "' is given twice");
                }
            }
            if (p.nextToken() != null) {
                throw error(name, p.currentTokenLocation(), "only one YAML document is allowed; remove the second '---'");
            }
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                throw new UserError(name + " line " + (m.getProblemMark().getLine() + 1) + ": not valid YAML: "
                        + firstLine(m.getProblem()));
            }
            throw error(name, e.getLocation(), "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UserError("cannot read config file " + name + " (" + e.getMessage() + ")");
        }
        return new Parsed(top, sections, ignore);
    }

    private static Value value(JsonParser p, JsonToken t, String name, String key, int line) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            throw new UserError(name + " line " + line + ": " + key + ": expects a value or a list, not a mapping");
        }
        if (t == JsonToken.START_ARRAY) {
            List<String> items = new ArrayList<>();
            JsonToken i;
            while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                if (i == JsonToken.START_OBJECT || i == JsonToken.START_ARRAY) {
                    throw new UserError(name + " line " + p.currentTokenLocation().getLineNr() + ": " + key
                            + ": list items must be plain values");
                }
                items.add(p.getText());
            }
            return new Value(items, true, line);
        }
        if (t == JsonToken.VALUE_NULL) {
            throw new UserError(name + " line " + line + ": " + key + ": has no value; give one or remove the key");
        }
        return new Value(List.of(p.getText()), false, line);
    }

    private static UserError error(String name, JsonLocation at, String problem) {
        return new UserError((at == null || at.getLineNr() < 1 ? name : name + " line " + at.getLineNr()) + ": " + problem);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
