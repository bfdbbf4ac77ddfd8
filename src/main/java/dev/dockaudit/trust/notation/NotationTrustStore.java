package dev.dockaudit.trust.notation;

import dev.dockaudit.util.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The certificates a user trusts for Notation signatures, from a folder. Either a plain folder of CA certificates,
 * or Notation's own layout ({@code x509/ca/<store>/} and {@code x509/signingAuthority/<store>/}, every named store
 * taken). Files ending .pem, .crt or .cer, PEM or DER; as the Notary Project specification asks, symbolic links
 * are refused and sub-folders of a named store are not read.
 */
public final class NotationTrustStore {
    private static final long MAX_FILE = 1 << 20;
    private final Path dir;
    private final List<X509Certificate> certificates;

    private NotationTrustStore(Path dir, List<X509Certificate> certificates) {
        this.dir = dir;
        this.certificates = List.copyOf(certificates);
    }

    public static NotationTrustStore load(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("the Notation trust store " + dir + " is not a folder (it must hold the CA certificates,"
                    + " or Notation's x509/ca/<name>/ folders)");
        }
        List<X509Certificate> certs = new ArrayList<>();
        Path x509 = dir.resolve("x509");
        if (Files.isDirectory(x509, LinkOption.NOFOLLOW_LINKS)) {
            for (String type : List.of("ca", "signingAuthority")) {
                Path typeDir = x509.resolve(type);
                if (Files.isDirectory(typeDir, LinkOption.NOFOLLOW_LINKS)) {
                    for (Path named : list(typeDir)) {
                        if (Files.isSymbolicLink(named)) {
                            throw new UserError("the Notation trust store " + named + " is a symbolic link; the Notary"
                                    + " Project specification does not allow them");
                        }
                        if (Files.isDirectory(named)) {
                            readFolder(named, certs);
                        }
                    }
                }
            }
        } else {
            readFolder(dir, certs);
        }
        if (certs.isEmpty()) {
            throw new UserError("the Notation trust store " + dir + " holds no certificate (.pem, .crt or .cer)");
        }
        return new NotationTrustStore(dir, certs);
    }

    public static NotationTrustStore of(List<X509Certificate> certificates) {
        return new NotationTrustStore(Path.of("(certificates)"), certificates);
    }

    public Path dir() {
        return dir;
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    private static void readFolder(Path folder, List<X509Certificate> out) {
        for (Path f : list(folder)) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!(name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer"))) {
                continue;
            }
            if (Files.isSymbolicLink(f)) {
                throw new UserError("the Notation trust store file " + f + " is a symbolic link; the Notary Project"
                        + " specification does not allow them");
            }
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                if (Files.size(f) > MAX_FILE) {
                    throw new UserError("the Notation trust store file " + f + " is over 1 MiB; it is not a certificate");
                }
                byte[] data = Files.readAllBytes(f);
                List<X509Certificate> read = new ArrayList<>();
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(data))) {
                    read.add((X509Certificate) c);
                }
                if (read.isEmpty()) {
                    throw new UserError("the Notation trust store file " + f + " holds no certificate");
                }
                out.addAll(read);
            } catch (IOException e) {
                throw new UserError("cannot read the Notation trust store file " + f + " (" + e.getMessage() + ")");
            } catch (GeneralSecurityException | RuntimeException e) {
                if (e instanceof UserError u) {
                    throw u;
                }
                throw new UserError("the Notation trust store file " + f + " is not a PEM or DER certificate ("
                        + e.getMessage() + ")");
            }
        }
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot read the Notation trust store folder " + folder + " (" + e.getMessage() + ")");
        }
    }
}
