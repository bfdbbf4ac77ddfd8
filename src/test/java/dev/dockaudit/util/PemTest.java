package dev.dockaudit.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.testing.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and certificates exactly as openssl writes them (PKCS#1 RSA, PKCS#8 RSA/EC/Ed25519, SEC1 EC with and without
 * the parameters block), read by {@link Pem}: each key must be the private half of the certificate made from it,
 * and a docker-style client certificate must complete a mutual TLS handshake.
 */
class PemTest {
    @TempDir
    Path dir;

    private Path openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Processes.check(cmd, Map.of());
        return dir;
    }

    private Path key(String name, String... genArgs) throws IOException, InterruptedException {
        Path k = dir.resolve(name);
        // -out right after the subcommand: genrsa wants its bit count last
        List<String> args = new ArrayList<>(List.of(genArgs[0], "-out", k.toString()));
        args.addAll(List.of(genArgs).subList(1, genArgs.length));
        openssl(args.toArray(new String[0]));
        return k;
    }

    private Path selfSigned(Path key) throws IOException, InterruptedException {
        Path c = dir.resolve(key.getFileName() + ".crt");
        openssl("req", "-x509", "-key", key.toString(), "-subj", "/CN=" + key.getFileName(), "-days", "2", "-out", c.toString());
        return c;
    }

    private static String firstLine(Path p) throws IOException {
        return Files.readAllLines(p).get(0);
    }

    /** The key signs, and the certificate's public key verifies: they are one pair. */
    private static void assertPair(PrivateKey key, PublicKey pub) throws Exception {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519
        };
        byte[] data = "dockaudit".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance(alg);
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        v.initVerify(pub);
        v.update(data);
        assertThat(v.verify(sig)).as("signature by the parsed key verifies with the certificate").isTrue();
    }

    private void assertReadsAs(Path key, String pemType, String algorithm) throws Exception {
        assertThat(firstLine(key)).isEqualTo("-----BEGIN " + pemType + "-----");
        PrivateKey k = Pem.privateKey(key);
        assertThat(k.getAlgorithm()).isEqualTo(algorithm);
        assertPair(k, Pem.certificates(selfSigned(key)).get(0).getPublicKey());
    }

    @Test
    void pkcs1Rsa() throws Exception {
        assertReadsAs(key("rsa1.pem", "genrsa", "-traditional", "2048"), "RSA PRIVATE KEY", "RSA");
    }

    @Test
    void pkcs1Rsa4096NeedsLongDerLengths() throws Exception {
        assertReadsAs(key("rsa4096.pem", "genrsa", "-traditional", "4096"), "RSA PRIVATE KEY", "RSA");
    }

    @Test
    void pkcs8Rsa() throws Exception {
        assertReadsAs(key("rsa8.pem", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"), "PRIVATE KEY", "RSA");
    }

    @Test
    void sec1EcWithTheParametersBlockFirst() throws Exception {
        Path k = key("ec-params.pem", "ecparam", "-name", "prime256v1", "-genkey");
        assertThat(Files.readString(k)).contains("-----BEGIN EC PARAMETERS-----");
        assertThat(Files.readString(k)).contains("-----BEGIN EC PRIVATE KEY-----");
        PrivateKey pk = Pem.privateKey(k);
        assertThat(pk.getAlgorithm()).isEqualTo("EC");
        assertPair(pk, Pem.certificates(selfSigned(k)).get(0).getPublicKey());
    }

    @Test
    void sec1EcOnly() throws Exception {
        assertReadsAs(key("ec-p384.pem", "ecparam", "-name", "secp384r1", "-genkey", "-noout"), "EC PRIVATE KEY", "EC");
    }

    @Test
    void pkcs8Ec() throws Exception {
        assertReadsAs(key("ec8.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"), "PRIVATE KEY", "EC");
    }

    @Test
    void pkcs8Ed25519() throws Exception {
        assertReadsAs(key("ed.pem", "genpkey", "-algorithm", "ed25519"), "PRIVATE KEY", "EdDSA");
    }

    @Test
    void windowsLineEndings() throws Exception {
        Path k = key("crlf.pem", "genrsa", "-traditional", "2048");
        Path crlf = dir.resolve("crlf-copy.pem");
        Files.writeString(crlf, Files.readString(k).replace("\n", "\r\n"));
        assertPair(Pem.privateKey(crlf), Pem.certificates(selfSigned(k)).get(0).getPublicKey());
    }

    @Test
    void keyAfterACertificateInTheSameFile() throws Exception {
        // Go's tls.X509KeyPair (so docker) skips other blocks to find the key; a combined cert+key file works there.
        Path k = key("combined-key.pem", "genrsa", "-traditional", "2048");
        Path c = selfSigned(k);
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(c) + Files.readString(k));
        assertPair(Pem.privateKey(combined), Pem.certificates(c).get(0).getPublicKey());
    }

    @Test
    void certificateChainInOrder() throws Exception {
        Path k = key("chain-key.pem", "genrsa", "-traditional", "2048");
        Path c1 = selfSigned(k);
        Path k2 = key("chain-key2.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path c2 = selfSigned(k2);
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(c1) + Files.readString(c2));
        List<X509Certificate> certs = Pem.certificates(bundle);
        assertThat(certs).extracting(x -> x.getSubjectX500Principal().getName())
                .containsExactly("CN=chain-key.pem", "CN=chain-key2.pem");
    }

    @Test
    void encryptedKeysAreRefusedWithAnExplanation() throws Exception {
        Path pkcs8 = key("enc8.pem", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256",
                "-pass", "pass:secret");
        assertThat(firstLine(pkcs8)).isEqualTo("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThatThrownBy(() -> Pem.privateKey(pkcs8)).isInstanceOf(UserError.class)
                .hasMessageContaining(pkcs8.toString()).hasMessageContaining("encrypted");

        Path legacy = key("enc1.pem", "genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "2048");
        assertThat(Files.readString(legacy)).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> Pem.privateKey(legacy)).isInstanceOf(UserError.class)
                .hasMessageContaining(legacy.toString()).hasMessageContaining("encrypted");
    }

    @Test
    void notAKey() throws Exception {
        Path k = key("for-cert.pem", "genrsa", "-traditional", "2048");
        Path cert = selfSigned(k);
        assertThatThrownBy(() -> Pem.privateKey(cert)).isInstanceOf(UserError.class)
                .hasMessageContaining(cert.toString()).hasMessageContaining("certificate").hasMessageContaining("not a private key");
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "this is not PEM\n");
        assertThatThrownBy(() -> Pem.privateKey(junk)).isInstanceOf(UserError.class).hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> Pem.certificates(junk)).isInstanceOf(UserError.class).hasMessageContaining(junk.toString());
        Path truncated = dir.resolve("truncated.pem");
        String text = Files.readString(k);
        Files.writeString(truncated, text.substring(0, text.length() / 2) + "\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.privateKey(truncated)).isInstanceOf(UserError.class)
                .hasMessageContaining("cannot read");
        // a SEC1 key cut short inside its DER lengths
        Path ec = key("short-ec.pem", "ecparam", "-name", "prime256v1", "-genkey", "-noout");
        byte[] der = java.util.Base64.getMimeDecoder().decode(Files.readString(ec)
                .replaceAll("-----[A-Z ]+-----", ""));
        Path shortEc = dir.resolve("short-ec-cut.pem");
        Files.writeString(shortEc, "-----BEGIN EC PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(java.util.Arrays.copyOf(der, 40))
                + "\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.privateKey(shortEc)).isInstanceOf(UserError.class)
                .hasMessageContaining("cannot read");
    }

    /** A CA, a server certificate for 127.0.0.1 and a docker-style client certificate, each key in a given form. */
    private Path[] pki(String clientKeyForm) throws Exception {
        Path ca = key("ca.key", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        Path caCrt = dir.resolve("ca.pem");
        openssl("req", "-x509", "-key", ca.toString(), "-subj", "/CN=test-ca", "-days", "2", "-out", caCrt.toString(),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        Path serverKey = key("server.key", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path serverCrt = sign(serverKey, "server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n", ca, caCrt);
        Path clientKey = switch (clientKeyForm) {
            case "pkcs1" -> key("client.key", "genrsa", "-traditional", "2048");
            case "sec1" -> key("client.key", "ecparam", "-name", "prime256v1", "-genkey");
            default -> key("client.key", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        };
        Path clientCrt = sign(clientKey, "client", "extendedKeyUsage=clientAuth\n", ca, caCrt);
        return new Path[] {caCrt, serverCrt, serverKey, clientCrt, clientKey};
    }

    private Path sign(Path key, String cn, String ext, Path ca, Path caCrt) throws Exception {
        Path csr = dir.resolve(cn + ".csr");
        Path crt = dir.resolve(cn + ".pem");
        Path extFile = dir.resolve(cn + ".ext");
        Files.writeString(extFile, ext);
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCrt.toString(), "-CAkey", ca.toString(), "-CAcreateserial",
                "-days", "2", "-extfile", extFile.toString(), "-out", crt.toString());
        return crt;
    }

    @Test
    void mutualTlsWithAPkcs1ClientKey() throws Exception {
        assertHandshake(pki("pkcs1"));
    }

    @Test
    void mutualTlsWithASec1ClientKey() throws Exception {
        assertHandshake(pki("sec1"));
    }

    private static void assertHandshake(Path[] pki) throws Exception {
        SSLContext server = Pem.tlsContext(pki[0], false, pki[1], pki[2]);
        SSLContext client = Pem.tlsContext(pki[0], false, pki[3], pki[4]);
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            ss.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    InputStream in = s.getInputStream();
                    int b = in.read();
                    s.getOutputStream().write(b + 1);
                    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                javax.net.ssl.SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // as EngineClient does with DOCKER_TLS_VERIFY
                s.setSSLParameters(p);
                OutputStream out = s.getOutputStream();
                out.write(41);
                out.flush();
                assertThat(s.getInputStream().read()).isEqualTo(42);
            }
            assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo("CN=client");
        }
    }
}
