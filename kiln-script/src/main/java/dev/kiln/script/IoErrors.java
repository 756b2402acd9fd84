package dev.kiln.script;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The Kiln error for a failure of a platform operation: the JDK's file exceptions become
 * {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#ALREADY_EXISTS} or {@link ErrorCode#IO_FAILED} with
 * a sentence naming the path; Kiln errors pass through.
 *
 * <p>Stateless; any thread.
 */
final class IoErrors {
    private IoErrors() {
    }

    static Throwable coded(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            e = u.getCause();
        }
        if (e instanceof KilnException) {
            return e;
        }
        if (e instanceof NoSuchFileException n) {
            return new KilnException(ErrorCode.NOT_FOUND, "No such file or folder: " + n.getFile(), e);
        }
        if (e instanceof FileAlreadyExistsException f) {
            return new KilnException(ErrorCode.ALREADY_EXISTS, "Already exists: " + f.getFile(), e);
        }
        if (e instanceof DirectoryNotEmptyException d) {
            return new KilnException(ErrorCode.IO_FAILED, "The folder is not empty: " + d.getFile()
                    + " (pass { recursive: true } to remove it with its contents)", e);
        }
        if (e instanceof NotDirectoryException d) {
            return new KilnException(ErrorCode.IO_FAILED, "Not a folder: " + d.getFile(), e);
        }
        if (e instanceof AccessDeniedException a) {
            return new KilnException(ErrorCode.IO_FAILED, "The operating system denied access to " + a.getFile(), e);
        }
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() == null ? "failed" : f.getReason();
            return new KilnException(ErrorCode.IO_FAILED, reason + ": " + f.getFile()
                    + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()), e);
        }
        if (e instanceof IOException) {
            return new KilnException(ErrorCode.IO_FAILED, String.valueOf(e.getMessage()), e);
        }
        return e;
    }
}
