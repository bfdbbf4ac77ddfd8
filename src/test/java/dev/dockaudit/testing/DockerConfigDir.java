package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A temporary {@code $DOCKER_CONFIG} folder with a config.json written the way the docker CLI writes it
 * ({@code auths} with base64 {@code auth}, {@code credHelpers}, {@code credsStore}), and credential helper
 * scripts ({@code docker-credential-NAME}) in a bin folder to put first on PATH of a child process.
 */
public final class DockerConfigDir {
    private final Path dir;
    private final Path bin;
    private final ObjectNode config = Json.MAPPER.createObjectNode();

    public DockerConfigDir(Path parent) throws IOException {
        this.dir = Files.createDirectories(parent.resolve("docker-config"));
        this.bin = Files.createDirectories(parent.resolve("bin"));
        write();
    }

    public Path dir() {
        return dir;
    }

    public Path bin() {
        return bin;
    }

    /** An {@code auths} entry as {@code docker login} stores it: base64 of user:password. */
    public DockerConfigDir auth(String key, String user, String password) throws IOException {
        config.withObjectProperty("auths").putObject(key).put("auth", Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
        return write();
    }

    public DockerConfigDir credHelper(String registry, String helper) throws IOException {
        config.withObjectProperty("credHelpers").put(registry, helper);
        return write();
    }

    public DockerConfigDir credsStore(String helper) throws IOException {
        config.put("credsStore", helper);
        return write();
    }

    /**
     * Writes {@code bin/docker-credential-NAME}: for {@code get} it reads the server URL on stdin, appends it to
     * {@code bin/NAME.log}, and answers the helper protocol's JSON for the servers in {@code logins}
     * (server → user:password), else "credentials not found in native keychain" with exit 1, as real helpers do.
     */
    public Path helper(String name, Map<String, String> logins) throws IOException {
        StringBuilder sh = new StringBuilder("#!/bin/sh\n")
                .append("[ \"$1\" = get ] || { echo \"unsupported action $1\" >&2; exit 1; }\n")
                .append("server=$(cat)\n")
                .append("printf '%s\\n' \"$server\" >> '").append(bin.resolve(name + ".log")).append("'\n")
                .append("case \"$server\" in\n");
        for (Map.Entry<String, String> e : logins.entrySet()) {
            String[] up = e.getValue().split(":", 2);
            sh.append("  '").append(e.getKey()).append("') printf '{\"ServerURL\":\"%s\",\"Username\":\"")
                    .append(up[0]).append("\",\"Secret\":\"").append(up[1]).append("\"}\\n' \"$server\"; exit 0;;\n");
        }
        sh.append("esac\necho 'credentials not found in native keychain'\nexit 1\n");
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, sh);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** What the helper {@code name} was asked for, one server URL a line. */
    public String helperLog(String name) throws IOException {
        Path log = bin.resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The environment for a child dockaudit: this DOCKER_CONFIG, and the helpers' bin first on PATH. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", dir.toString());
        env.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    private DockerConfigDir write() throws IOException {
        Files.write(dir.resolve("config.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        return this;
    }
}
