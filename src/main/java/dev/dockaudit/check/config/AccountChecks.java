package dev.dockaudit.check.config;

import dev.dockaudit.util.Redact;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks on /etc/shadow, /etc/passwd and /etc/group as the final filesystem has them. Never prints a hash. */
final class AccountChecks {
    private AccountChecks() {
    }

    static void run(CheckContext c) {
        if (c.fs == null) {
            return; // FilesystemChecks already noted that the layers were not walked
        }
        if (!c.accountFilesRead()) {
            if (c.fs.get("etc/passwd") != null || c.fs.get("etc/shadow") != null) {
                c.note("config checks: this command's layer pass did not keep /etc/passwd, /etc/shadow and"
                        + " /etc/group (ConfigChecks.visitor()), so the empty-password and duplicate UID/GID checks"
                        + " were not run");
            }
            return;
        }
        CheckContext.FileContent passwd = c.content("etc/passwd");
        CheckContext.FileContent shadow = c.content("etc/shadow");
        CheckContext.FileContent group = c.content("etc/group");
        emptyPasswords(c, shadow, passwd);
        duplicates(c, passwd, true);
        duplicates(c, group, false);
    }

    static void emptyPasswords(CheckContext c, CheckContext.FileContent shadow, CheckContext.FileContent passwd) {
        if (shadow != null) {
            for (AccountFiles.Entry e : AccountFiles.parse(shadow.data(), 2)) {
                if (e.field(1).isEmpty()) {
                    report(c, shadow, e, "/etc/shadow has an empty password field for '" + e.name()
                            + "': the account needs no password to log in or to su to.");
                }
            }
        }
        if (passwd != null) {
            for (AccountFiles.Entry e : AccountFiles.parse(passwd.data(), 2)) {
                // "x" defers to /etc/shadow; an empty field means no password at all, whatever shadow says
                if (e.field(1).isEmpty()) {
                    report(c, passwd, e, "/etc/passwd has an empty password field for '" + e.name()
                            + "' (not 'x'), so /etc/shadow is not consulted and the account needs no password.");
                }
            }
        }
    }

    private static void report(CheckContext c, CheckContext.FileContent file, AccountFiles.Entry e, String description) {
        c.add(ConfigRule.EMPTY_PASSWORD.finding(ConfigRule.EMPTY_PASSWORD.severity, "Account '" + Redact.evidence(e.name(), 64)
                        + "' has an empty password")
                .description(description + " Locked accounts show '!' or '*' there.")
                .path(file.path())
                .layer(c.diffId(file.layer()))
                .evidence(file.path() + " line " + e.line() + ": " + Redact.evidence(e.name(), 64) + "::…"),
                c.stepOfLayer(file.layer()));
    }

    /** UIDs in passwd (field 3) or GIDs in group (field 3) used by more than one name. */
    static void duplicates(CheckContext c, CheckContext.FileContent file, boolean users) {
        if (file == null) {
            return;
        }
        Map<Long, List<AccountFiles.Entry>> byId = new TreeMap<>();
        for (AccountFiles.Entry e : AccountFiles.parse(file.data(), 3)) {
            long id = AccountFiles.id(e.field(2));
            if (id >= 0) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<Long, List<AccountFiles.Entry>> en : byId.entrySet()) {
            List<AccountFiles.Entry> es = en.getValue();
            if (es.size() < 2) {
                continue;
            }
            List<String> names = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (AccountFiles.Entry e : es) {
                names.add(Redact.evidence(e.name(), 64));
                lines.add(String.valueOf(e.line()));
            }
            long id = en.getKey();
            ConfigRule rule = users ? ConfigRule.DUPLICATE_UID : ConfigRule.DUPLICATE_GID;
            Severity sev = users && id == 0 ? Severity.HIGH : rule.severity;
            String kind = users ? "UID" : "GID";
            c.add(rule.finding(sev, "Duplicate " + kind + " " + id + ": " + String.join(", ", names))
                    .description((users ? "Accounts " : "Groups ") + String.join(", ", names) + " share " + kind + " " + id
                            + (users && id == 0 ? ": every one of them is root, under names audits and logs do not"
                            + " flag." : ": the kernel sees one identity, so each has every permission of the others."))
                    .path(file.path())
                    .layer(c.diffId(file.layer()))
                    .evidence(file.path() + " lines " + String.join(", ", lines) + ": " + kind + " " + id + " used by "
                            + String.join(", ", names)),
                    c.stepOfLayer(file.layer()));
        }
    }
}
