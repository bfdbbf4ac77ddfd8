package dev.dockaudit.inventory.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.spi.ToolProvider;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.commons.io.IOUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Java archives built from the real jars Maven put on the test class path (jackson, commons-io, commons-lang3,
 * picocli, junit), with the JDK's own {@code jar} tool where a real build would use it; expected coordinates are
 * read from those jars independently with {@link ZipFile}.
 */
class JavaArchiveAnalyzerTest {
    private final JavaArchiveAnalyzer analyzer = new JavaArchiveAnalyzer();

    @TempDir
    Path dir;

    static Path jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** groupId:artifactId → version from every pom.properties in a jar, read with java.util.zip. */
    static List<String> coordinates(Path jar) throws IOException {
        List<String> out = new ArrayList<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = z.getInputStream(e)) {
                        p.load(in);
                    }
                    out.add(p.getProperty("groupId") + ":" + p.getProperty("artifactId") + "@" + p.getProperty("version"));
                }
            }
        }
        return out;
    }

    private FileResult run(String imagePath, Path file) throws IOException {
        return LangFixtures.analyze(analyzer, LangFixtures.input(imagePath, file, 0644));
    }

    private static List<String> gavs(FileResult r) {
        return r.packages().stream().map(p -> p.name() + "@" + p.version()).toList();
    }

    @Test
    void plainJarFromPomProperties() throws IOException {
        Path jackson = jarOf(JsonFactory.class);
        FileResult r = run("app/lib/" + jackson.getFileName(), jackson);
        assertThat(r.warnings()).isEmpty();
        assertThat(gavs(r)).containsExactlyElementsOf(coordinates(jackson));
        Package p = r.packages().get(0);
        assertThat(p.name()).isEqualTo("com.fasterxml.jackson.core:jackson-core");
        assertThat(p.type()).isEqualTo(PackageType.MAVEN);
        assertThat(p.purl()).isEqualTo("pkg:maven/com.fasterxml.jackson.core/jackson-core@" + p.version());
        assertThat(p.path()).isEqualTo("/app/lib/" + jackson.getFileName());
        assertThat(p.metadata()).containsEntry("groupId", "com.fasterxml.jackson.core")
                .containsEntry("artifactId", "jackson-core").containsEntry("evidence", "pom.properties");
    }

    @Test
    void manifestFallbackForJarsWithoutPomProperties() throws IOException {
        // picocli and junit are built with Gradle: no pom.properties, coordinates only in MANIFEST.MF
        Path picocli = jarOf(CommandLine.class);
        assertThat(coordinates(picocli)).isEmpty();
        FileResult r = run("app/lib/" + picocli.getFileName(), picocli);
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::purl)
                .containsExactly(tuple("picocli", CommandLine.VERSION, null)); // no group recorded: no purl
        assertThat(r.packages().get(0).metadata()).containsEntry("evidence", "MANIFEST.MF").doesNotContainKey("groupId");

        Path junit = jarOf(Test.class);
        r = run("app/lib/" + junit.getFileName(), junit);
        assertThat(r.packages()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("junit-jupiter-api");
            assertThat(junit.getFileName().toString()).isEqualTo("junit-jupiter-api-" + p.version() + ".jar");
        });
    }

    @Test
    void fileNameFallbackWhenNothingElse() throws IOException {
        Path jar = dir.resolve("legacy-util-1.4.2.jar");
        writeZip(jar, List.<Object[]>of(new Object[] {"com/example/Util.class", new byte[] {(byte) 0xca, (byte) 0xfe}}), false);
        FileResult r = run("opt/app/legacy-util-1.4.2.jar", jar);
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::purl)
                .containsExactly(tuple("legacy-util", "1.4.2", null));
        assertThat(r.packages().get(0).metadata()).containsEntry("evidence", "file name");

        Path noVersion = dir.resolve("app.jar");
        writeZip(noVersion, List.<Object[]>of(new Object[] {"a.txt", new byte[] {1}}), false);
        assertThat(run("app.jar", noVersion).packages()).isEmpty();
    }

    @Test
    void springBootFatJarBuiltWithTheJarTool() throws IOException {
        List<Path> libs = List.of(jarOf(JsonFactory.class), jarOf(IOUtils.class), jarOf(CommandLine.class));
        Path root = dir.resolve("boot");
        Files.createDirectories(root.resolve("BOOT-INF/lib"));
        Files.createDirectories(root.resolve("BOOT-INF/classes/com/example"));
        Files.createDirectories(root.resolve("META-INF/maven/com.example/demo"));
        Files.writeString(root.resolve("META-INF/maven/com.example/demo/pom.properties"),
                "artifactId=demo\ngroupId=com.example\nversion=0.0.1-SNAPSHOT\n");
        Files.write(root.resolve("BOOT-INF/classes/com/example/App.class"), new byte[] {(byte) 0xca, (byte) 0xfe});
        for (Path l : libs) {
            Files.copy(l, root.resolve("BOOT-INF/lib").resolve(l.getFileName()));
        }
        Path app = dir.resolve("app.jar");
        // Spring Boot stores nested jars uncompressed: jar --no-compress does the same
        jarTool("--create", "--file", app.toString(), "--no-compress", "-C", root.toString(), ".");
        FileResult r = run("app/app.jar", app);
        assertThat(r.warnings()).isEmpty();
        List<String> expected = new ArrayList<>(List.of("com.example:demo@0.0.1-SNAPSHOT"));
        expected.addAll(coordinates(libs.get(0)));
        expected.addAll(coordinates(libs.get(1)));
        expected.add("picocli@" + CommandLine.VERSION);
        assertThat(gavs(r)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(LangFixtures.only(r.packages(), "com.example:demo").path()).isEqualTo("/app/app.jar");
        assertThat(LangFixtures.only(r.packages(), "picocli").path())
                .isEqualTo("/app/app.jar!/BOOT-INF/lib/" + libs.get(2).getFileName());
    }

    @Test
    void warInsideAnEarWithCompressedNestedJars() throws IOException {
        Path web = dir.resolve("web");
        Files.createDirectories(web.resolve("WEB-INF/lib"));
        Path lang3 = jarOf(org.apache.commons.lang3.StringUtils.class);
        Files.copy(lang3, web.resolve("WEB-INF/lib").resolve(lang3.getFileName()));
        Files.writeString(web.resolve("WEB-INF/web.xml"), "<web-app/>\n");
        Path war = dir.resolve("shop.war");
        jarTool("--create", "--file", war.toString(), "-C", web.toString(), "."); // deflated this time
        Path ear = dir.resolve("ear");
        Files.createDirectories(ear.resolve("lib"));
        Files.copy(war, ear.resolve("shop.war"));
        Path jackson = jarOf(JsonFactory.class);
        Files.copy(jackson, ear.resolve("lib").resolve(jackson.getFileName()));
        Path earFile = dir.resolve("shop.ear");
        jarTool("--create", "--file", earFile.toString(), "-C", ear.toString(), ".");
        FileResult r = run("opt/jboss/deployments/shop.ear", earFile);
        assertThat(r.warnings()).isEmpty();
        List<String> expected = new ArrayList<>(coordinates(lang3));
        expected.addAll(coordinates(jackson));
        assertThat(gavs(r)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(LangFixtures.only(r.packages(), "org.apache.commons:commons-lang3").path())
                .isEqualTo("/opt/jboss/deployments/shop.ear!/shop.war!/WEB-INF/lib/" + lang3.getFileName());
    }

    @Test
    void shadedJarYieldsOnePackagePerPomProperties() throws IOException {
        // what maven-shade-plugin does: the classes and META-INF/maven entries of several real jars in one jar
        List<Path> parts = List.of(jarOf(JsonFactory.class), jarOf(IOUtils.class), jarOf(org.apache.commons.lang3.StringUtils.class));
        Path shaded = dir.resolve("tool-1.0-shaded.jar");
        List<Object[]> entries = new ArrayList<>();
        entries.add(new Object[] {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: x.Main\r\n\r\n".getBytes(StandardCharsets.UTF_8)});
        List<String> expected = new ArrayList<>();
        for (Path p : parts) {
            expected.addAll(coordinates(p));
            try (ZipFile z = new ZipFile(p.toFile())) {
                Enumeration<? extends ZipEntry> en = z.entries();
                while (en.hasMoreElements()) {
                    ZipEntry e = en.nextElement();
                    if (!e.isDirectory() && !e.getName().equals("META-INF/MANIFEST.MF") && !e.getName().startsWith("META-INF/versions/")
                            && entries.stream().noneMatch(x -> x[0].equals(e.getName()))) {
                        try (InputStream in = z.getInputStream(e)) {
                            entries.add(new Object[] {e.getName(), in.readAllBytes()});
                        }
                    }
                }
            }
        }
        writeZip(shaded, entries, false);
        FileResult r = run("usr/share/tool/tool-1.0-shaded.jar", shaded);
        assertThat(r.warnings()).isEmpty();
        assertThat(gavs(r)).containsExactlyInAnyOrderElementsOf(expected).hasSize(3);
        assertThat(r.packages()).allSatisfy(p -> assertThat(p.path()).isEqualTo("/usr/share/tool/tool-1.0-shaded.jar"));
    }

    @Test
    void realShadedJarFromTheMavenRepositoryWhenPresent() throws IOException {
        // surefire resolves this shaded jar to run these very tests
        Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "apache", "maven", "surefire",
                "surefire-shared-utils");
        assumeTrue(Files.isDirectory(repo), "no local Maven repository at the default place");
        Path jar;
        try (var s = Files.walk(repo)) {
            jar = s.filter(p -> p.toString().endsWith(".jar") && !p.toString().endsWith("-sources.jar")).findFirst().orElse(null);
        }
        assumeTrue(jar != null);
        List<String> expected = coordinates(jar);
        assertThat(expected.size()).isGreaterThan(1);
        FileResult r = run("opt/" + jar.getFileName(), jar);
        assertThat(gavs(r)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Timeout(60)
    void zipBombInANestedJarStopsWithAWarning() throws IOException {
        // outer.jar → inner.jar (deflated) → 400 MB of zeros stored: 400 MB behind ~400 KB
        Path bomb = dir.resolve("bomb.jar");
        try (ZipOutputStream outer = new ZipOutputStream(Files.newOutputStream(bomb))) {
            outer.putNextEntry(new ZipEntry("BOOT-INF/lib/inner.jar"));
            ZipOutputStream inner = new ZipOutputStream(new NonClosing(outer));
            long size = 400L << 20;
            ZipEntry zeros = new ZipEntry("zeros.bin");
            zeros.setMethod(ZipEntry.STORED);
            zeros.setSize(size);
            zeros.setCompressedSize(size);
            zeros.setCrc(crcOfZeros(size));
            inner.putNextEntry(zeros);
            byte[] buf = new byte[1 << 20];
            for (long w = 0; w < size; w += buf.length) {
                inner.write(buf);
            }
            inner.closeEntry();
            inner.finish();
            outer.closeEntry();
            outer.putNextEntry(new ZipEntry("META-INF/maven/com.example/bomb/pom.properties"));
            outer.write("groupId=com.example\nartifactId=bomb\nversion=1\n".getBytes(StandardCharsets.UTF_8));
            outer.closeEntry();
        }
        assertThat(Files.size(bomb)).isLessThan(2 << 20);
        FileResult r = run("app/bomb.jar", bomb);
        assertThat(r.warnings()).singleElement().asString().contains("zip bomb").contains("inner.jar");
        assertThat(r.packages()).isEmpty();
    }

    @Test
    @Timeout(60)
    void hugeDeflatedEntryAndHugePomPropertiesAreBounded() throws IOException {
        // 64 MiB of blanks in one entry: a 1000:1 ratio, stopped long before the end
        Path bomb = dir.resolve("big-1.0.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.putNextEntry(new ZipEntry("META-INF/maven/com.example/big/pom.properties"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                z.write(spaces);
            }
            z.closeEntry();
        }
        FileResult r = run("app/big-1.0.jar", bomb);
        assertThat(r.warnings()).singleElement().asString().contains("zip bomb");
        // 2 MiB of incompressible text in pom.properties: over the text limit, skipped; the rest is read
        Path big = dir.resolve("odd-2.0.jar");
        byte[] text = new byte[2 << 20];
        Random rnd = new Random(3);
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + rnd.nextInt(26));
        }
        writeZip(big, List.of(new Object[] {"META-INF/maven/com.example/odd/pom.properties", text},
                new Object[] {"META-INF/maven/com.example/ok/pom.properties",
                        "groupId=com.example\nartifactId=ok\nversion=3\n".getBytes(StandardCharsets.UTF_8)}), false);
        r = run("app/odd-2.0.jar", big);
        assertThat(r.warnings()).singleElement().asString().contains("pom.properties").contains("skipped");
        assertThat(gavs(r)).containsExactly("com.example:ok@3");
    }

    @Test
    void jarNestedFiftyDeepStopsAtTheDocumentedDepth() throws IOException {
        byte[] jar = null;
        for (int level = 50; level >= 0; level--) {
            List<Object[]> entries = new ArrayList<>();
            entries.add(new Object[] {"META-INF/maven/com.example/level" + level + "/pom.properties",
                    ("groupId=com.example\nartifactId=level" + level + "\nversion=1.0\n").getBytes(StandardCharsets.UTF_8)});
            if (jar != null) {
                entries.add(new Object[] {"lib/level" + (level + 1) + ".jar", jar});
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            writeZip(bytes, entries, true);
            jar = bytes.toByteArray();
        }
        byte[] top = jar;
        FileResult r = analyzer.analyze(LangFixtures.input("app/deep.jar", top.length, 0644, () -> new ByteArrayInputStream(top)));
        List<String> expected = new ArrayList<>();
        for (int level = 0; level <= JavaArchiveAnalyzer.MAX_DEPTH; level++) {
            expected.add("com.example:level" + level + "@1.0");
        }
        assertThat(gavs(r)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(r.warnings()).singleElement().asString().contains("nested more than " + JavaArchiveAnalyzer.MAX_DEPTH);
    }

    @Test
    void corruptAndTruncatedArchivesGiveWarningsNotCrashes() throws IOException {
        byte[] noise = new byte[100_000];
        new Random(7).nextBytes(noise);
        FileResult r = analyzer.analyze(LangFixtures.input("app/noise.jar", noise));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("not a readable zip");

        byte[] jackson = Files.readAllBytes(jarOf(JsonFactory.class));
        byte[] half = java.util.Arrays.copyOf(jackson, jackson.length / 2);
        r = analyzer.analyze(LangFixtures.input("app/half.jar", half));
        assertThat(r.warnings()).isNotEmpty();

        // a real jar whose nested jar is cut short
        Path outer = dir.resolve("outer.jar");
        writeZip(outer, List.<Object[]>of(new Object[] {"lib/cut.jar", java.util.Arrays.copyOf(jackson, 5000)},
                new Object[] {"META-INF/maven/com.example/outer/pom.properties",
                        "groupId=com.example\nartifactId=outer\nversion=2\n".getBytes(StandardCharsets.UTF_8)}), true);
        r = run("app/outer.jar", outer);
        assertThat(gavs(r)).contains("com.example:outer@2");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("lib/cut.jar"));

        byte[] empty = new byte[0];
        r = analyzer.analyze(LangFixtures.input("app/empty.jar", empty));
        assertThat(r.packages()).isEmpty();
    }

    @Test
    void wantsJavaArchivesWithinTheSizeLimit() {
        assertThat(analyzer.wants(LangFixtures.file("app/a.jar", 10, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("app/A.WAR", 10, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("var/jenkins/plugins/git.jpi", 10, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("app/a.zip", 10, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("app/a.jar", JavaArchiveAnalyzer.MAX_FILE + 1, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("app/a.jar", 0, 0644))).isFalse();
    }

    static void jarTool(String... args) {
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        StringWriter err = new StringWriter();
        int rc = jar.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        assertThat(rc).as("jar %s: %s", String.join(" ", args), err).isZero();
    }

    static void writeZip(Path p, List<Object[]> entries, boolean stored) throws IOException {
        try (OutputStream out = Files.newOutputStream(p)) {
            writeZip(out, entries, stored);
        }
    }

    static void writeZip(OutputStream out, List<Object[]> entries, boolean stored) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(new NonClosing(out))) {
            for (Object[] e : entries) {
                byte[] data = (byte[]) e[1];
                ZipEntry ze = new ZipEntry((String) e[0]);
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(data.length);
                    ze.setCompressedSize(data.length);
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(data);
                z.closeEntry();
            }
        }
    }

    private static long crcOfZeros(long size) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 20];
        for (long w = 0; w < size; w += buf.length) {
            crc.update(buf);
        }
        return crc.getValue();
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
