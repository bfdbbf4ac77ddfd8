package dev.dockaudit.inventory;

/** Package ecosystems, spelled as the JSON report's {@code type}. */
public enum PackageType {
    DEB("deb"), APK("apk"), RPM("rpm"), MAVEN("maven"), NPM("npm"), PYPI("pypi"), GOLANG("golang"), GEM("gem"),
    CARGO("cargo"), NUGET("nuget"), COMPOSER("composer");

    public final String label;

    PackageType(String label) {
        this.label = label;
    }

    public boolean isOs() {
        return this == DEB || this == APK || this == RPM;
    }
}
