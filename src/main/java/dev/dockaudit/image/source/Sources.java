package dev.dockaudit.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.engine.DockerHost;
import dev.dockaudit.engine.EngineClient;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Platform;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;

/** Picks the source for a reference: the transport decides, and bare references are detected. */
public final class Sources {
    /** Options that decide how sources reach images. */
    public record Options(Platform platform, String dockerHost, RegistryOptions registry, long engineTimeoutMillis) {
    }

    private final Options options;
    private EngineClient engine;
    private RegistryClient registry;

    public Sources(Options options) {
        this.options = options;
    }

    public synchronized EngineClient engine() {
        if (engine == null) {
            engine = new EngineClient(DockerHost.resolve(options.dockerHost()), options.engineTimeoutMillis());
        }
        return engine;
    }

    public synchronized RegistryClient registry() {
        if (registry == null) {
            registry = new RegistryClient(options.registry());
        }
        return registry;
    }

    public ImageSource open(ImageReference ref) {
        return switch (ref.transport()) {
            case DOCKER_ARCHIVE, OCI_ARCHIVE -> new ArchiveSource(ref, existing(ref.path()), options.platform());
            case OCI -> new OciDirectorySource(ref, directory(ref.path()), options.platform());
            case ROOTFS -> new RootfsSource(ref, ref.path());
            case DOCKER_DAEMON -> new DaemonSource(ref, engine(), ref.name());
            case DOCKER -> new RegistrySource(ref, dockerName(ref.name()), registry(), options.platform());
            case PATH -> byContent(ref);
            case NAME -> daemonOrRegistry(ref);
        };
    }

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new UserError(p + " does not exist; check the path");
        }
        if (Files.isDirectory(p)) {
            throw new UserError(p + " is a directory; use oci:" + p + " for an OCI layout or rootfs:" + p
                    + " for a root filesystem");
        }
        return p;
    }

    private static Path directory(Path p) {
        if (!Files.isDirectory(p)) {
            throw new UserError(p + (Files.exists(p) ? " is not a directory; use oci-archive:" + p + " for an OCI tar"
                    : " does not exist; check the path"));
        }
        return p;
    }

    /** A bare path: a directory is an OCI layout (or an unpacked docker save) or else a root filesystem; a file is an archive. */
    private ImageSource byContent(ImageReference ref) {
        Path p = ref.path();
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve("index.json")) || Files.isRegularFile(p.resolve("oci-layout"))
                    || Files.isRegularFile(p.resolve("manifest.json"))) {
                return new OciDirectorySource(ref, p, options.platform());
            }
            return new RootfsSource(ref, p);
        }
        if (Files.isRegularFile(p)) {
            return new ArchiveSource(ref, p, options.platform());
        }
        if (Files.isSymbolicLink(p)) {
            throw new UserError(p + " is a broken or looping symbolic link; point dockaudit at the real file");
        }
        throw new UserError(p + " does not exist; check the path");
    }

    /** A bare name goes to the daemon when the daemon has it, else to the registry, as docker run would pull it. */
    private ImageSource daemonOrRegistry(ImageReference ref) {
        String name = ref.name();
        UserError daemonProblem = null;
        try {
            JsonNode inspect = DaemonSource.inspect(engine(), name);
            if (inspect != null) {
                return new DaemonSource(ref, engine(), name);
            }
        } catch (UserError e) {
            daemonProblem = e;
        }
        if (options.registry().offline()) {
            throw new UserError(daemonProblem != null
                    ? "--offline is set and the daemon is not reachable (" + daemonProblem.getMessage() + "), so '" + name
                    + "' cannot be read; audit an archive or directory instead"
                    : "the daemon has no image '" + name + "' and --offline forbids pulling it from the registry");
        }
        ImageSource fromRegistry = new RegistrySource(ref, dockerName(name), registry(), options.platform());
        if (daemonProblem == null) {
            return fromRegistry;
        }
        // The user may well have meant the daemon's image: when the registry fails too, say why the daemon was not
        // used, or they only learn that Docker Hub is unreachable (a daemon that is down looks like a network problem).
        String why = daemonProblem.getMessage();
        return scanner -> {
            try {
                return fromRegistry.read(scanner);
            } catch (UserError e) {
                throw new UserError(e.getMessage() + "; the daemon could not be asked either: " + why);
            }
        };
    }

    private static DockerName dockerName(String s) {
        try {
            return DockerName.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
