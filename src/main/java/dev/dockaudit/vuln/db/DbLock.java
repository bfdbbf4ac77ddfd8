package dev.dockaudit.vuln.db;

import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The writers' lock: {@code <db>.lock}, held with {@link FileChannel#tryLock} for the whole update or import, so a
 * second writer fails at once instead of racing the first to the rename. Readers take no lock: they open whichever
 * file the last rename left, old or new. The lock file itself is never deleted (deleting it would let two writers
 * lock two different files).
 */
final class DbLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DbLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFile(Path db) {
        return db.resolveSibling(db.getFileName() + ".lock");
    }

    static DbLock acquire(Path db) {
        Path file = lockFile(db);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UserError("cannot create the lock file " + file + " (" + e.getMessage()
                    + "); check that its folder is writable, or choose another place with --db");
        }
        try {
            FileLock l = ch.tryLock();
            if (l != null) {
                return new DbLock(ch, l);
            }
        } catch (OverlappingFileLockException e) {
            // held by this process (another thread)
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UserError("cannot lock " + file + " (" + e.getMessage() + "); choose another place with --db");
        }
        closeQuietly(ch);
        throw new UserError("another dockaudit is updating the vulnerability database " + db + " (" + file
                + " is locked); wait for it to finish, then retry");
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing held
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it anyway
        }
        closeQuietly(channel);
    }

    /** Creates the database's folder (with parents) so the lock and the new file can be written there. */
    static void createParent(Path db) {
        Path dir = db.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the folder " + dir + " for the vulnerability database (" + e.getMessage()
                    + "); choose another place with --db");
        }
    }
}
