package dev.dockaudit.vuln.osv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsvNamesTest {
    /** PEP 503: {@code re.sub(r"[-_.]+", "-", name).lower()}; expected values computed with that Python line. */
    @ParameterizedTest
    @CsvSource({
        "PyYAML, pyyaml",
        "zope.interface, zope-interface",
        "Foo__Bar, foo-bar",
        "a-_.b, a-b",
        "requests, requests",
        "Django_REST-framework, django-rest-framework",
        "trailing_, trailing-",
        "._x, -x",
    })
    void pypiNamesArePep503Normalised(String in, String out) {
        assertThat(OsvNames.normalise("PyPI", in)).isEqualTo(out);
    }

    @Test
    void otherEcosystemsAreComparedAsWritten() {
        assertThat(OsvNames.normalise("Maven", "org.Apache:Foo_bar")).isEqualTo("org.Apache:Foo_bar");
        assertThat(OsvNames.normalise("npm", "@Scope/Pkg.js")).isEqualTo("@Scope/Pkg.js");
        assertThat(OsvNames.normalise("Debian:12", "libssl3")).isEqualTo("libssl3");
        assertThat(OsvNames.normalise("Go", "github.com/Foo/Bar")).isEqualTo("github.com/Foo/Bar");
        assertThat(OsvNames.normalise("PyPI", null)).isNull();
    }

    @Test
    void ecosystemBasesAndTheKnownList() {
        assertThat(OsvEcosystems.base("Ubuntu:Pro:22.04:LTS")).isEqualTo("Ubuntu");
        assertThat(OsvEcosystems.base("Red Hat:enterprise_linux:9::appstream")).isEqualTo("Red Hat");
        assertThat(OsvEcosystems.base("Maven")).isEqualTo("Maven");
        assertThat(OsvEcosystems.isKnown("Alpine:v3.18")).isTrue();
        assertThat(OsvEcosystems.isKnown("crates.io")).isTrue();
        assertThat(OsvEcosystems.isKnown("SwiftURL")).isFalse();
        assertThat(OsvEcosystems.isKnown("OSS-Fuzz")).isFalse();
        assertThat(OsvEcosystems.canonical("pypi")).isEqualTo("PyPI");
        assertThat(OsvEcosystems.canonical("red hat")).isEqualTo("Red Hat");
        assertThat(OsvEcosystems.canonical("nope")).isNull();
        assertThat(OsvEcosystems.DEFAULT).hasSize(18).startsWith("Debian", "Ubuntu", "Alpine").endsWith("Packagist");
    }
}
