package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * Notices when the file of an SQLite database is deleted or replaced while connections to it are open. Open
 * connections go on reading and writing the file they opened, even once no path leads to it any more: writes
 * would succeed, and be gone when the process ends. So the guard remembers the file's identity when it is
 * created ({@link BasicFileAttributes#fileKey()}: device and inode on Linux and macOS) and {@link #check()}
 * compares it with the file now at the path; the stores call it before every write transaction. One
 * {@code stat} per call.
 *
 * <p>The path comes from the connection ({@code PRAGMA database_list}), so any SQLite DataSource is guarded,
 * not only the pools {@link SqliteDataSources} builds. In-memory and temporary databases have no file and no
 * guard. Where the file system gives no file key (Windows, where an open database cannot be deleted anyway),
 * only a deletion is noticed. A file deleted between the check and the commit still takes that one
 * transaction.
 */
final class DatabaseFileGuard {

    private final Path file;
    private final Object fileKey;

    private DatabaseFileGuard(Path file, Object fileKey) {
        this.file = file;
        this.fileKey = fileKey;
    }

    /**
     * Remembers the file of the main database a DataSource's connections open.
     *
     * @param dataSource an SQLite DataSource
     * @return the guard, or null for a database without a file (in-memory or temporary)
     */
    static @Nullable DatabaseFileGuard of(DataSource dataSource) {
        String path = null;
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet databases = statement.executeQuery("PRAGMA database_list")) {
            while (databases.next()) {
                if ("main".equals(databases.getString("name"))) {
                    path = databases.getString("file");
                }
            }
        } catch (SQLException e) {
            throw new StorageException("could not read which file the SQLite database is in (PRAGMA database_list)", e);
        }
        if (path == null || path.isEmpty()) {
            return null;
        }
        Path file = Path.of(path).toAbsolutePath();
        try {
            return new DatabaseFileGuard(file, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            throw new StorageException("could not read the attributes of SQLite database file " + file, e);
        }
    }

    /** The absolute path of the database file. */
    Path file() {
        return file;
    }

    /**
     * Checks that the file at the path is still the one the connections opened.
     *
     * @throws StorageException naming the path, if it was deleted or replaced
     */
    void check() {
        Object current;
        try {
            current = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            throw new StorageException("SQLite database file " + file + " was deleted while the spool was using it."
                    + " Writes are refused: they would go to the deleted file and be lost when this process ends."
                    + " Messages accepted before are in the deleted file; while this process runs, its open copy"
                    + " can still be saved (on Linux from /proc/" + ProcessHandle.current().pid() + "/fd, with its"
                    + " -wal file). Restore the file at that path, or remove its leftover -wal and -shm files to"
                    + " start with an empty spool, and restart the application.");
        } catch (IOException e) {
            throw new StorageException("could not check SQLite database file " + file + ": " + e.getMessage(), e);
        }
        if (fileKey != null && !fileKey.equals(current)) {
            throw new StorageException("SQLite database file " + file + " was replaced by another file while the"
                    + " spool was using it (or deleted, and a new connection made an empty one there). Writes are refused: they would go to the old file, which is no longer at"
                    + " that path. Messages accepted before are in the old file, if it still exists elsewhere (where"
                    + " it was moved to, or a backup). Put the right file at that path and restart the application.");
        }
    }
}
