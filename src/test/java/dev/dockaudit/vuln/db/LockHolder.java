package dev.dockaudit.vuln.db;

import java.nio.file.Path;

/** A second process for the lock tests: takes the writers' lock of args[0], says "locked", holds it until stdin closes. */
public final class LockHolder {
    private LockHolder() {
    }

    @SuppressWarnings("try")
    public static void main(String[] args) throws Exception {
        try (DbLock lock = DbLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold
            }
        }
    }
}
