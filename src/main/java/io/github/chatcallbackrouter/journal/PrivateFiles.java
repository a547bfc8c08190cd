package io.github.chatcallbackrouter.journal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files the router writes hold users' messages and webhook URLs, whose paths are secrets: each is made readable by
 * the router's own user only, 0600 in a 0700 directory, whatever the umask. (A file system without POSIX
 * permissions keeps its own rules.)
 */
final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] DIRECTORY = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** The attributes a new file is created with: 0600. */
    static FileAttribute<?>[] file() {
        return FILE.clone();
    }

    /** Makes the directory and its missing parents 0700; one that exists is left as it is. */
    static Path directories(Path directory) throws IOException {
        return Files.createDirectories(directory, DIRECTORY);
    }
}
