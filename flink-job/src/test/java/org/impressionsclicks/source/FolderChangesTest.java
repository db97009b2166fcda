package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderChangesTest {

    private static final long DEADLINE_SECONDS = 30;

    @TempDir
    java.nio.file.Path dir;

    private final Semaphore changes = new Semaphore(0);

    private static Path folder(java.nio.file.Path dir) {
        return new Path(dir.toUri());
    }

    @Test
    void aFileRenamedIntoTheFolderIsReported() throws Exception {
        java.nio.file.Path staged = Files.writeString(dir.resolve(".upload.parquet"), "x");
        java.nio.file.Path watched = Files.createDirectory(dir.resolve("raw_data"));
        try (FolderChanges watch = FolderChanges.watch(new Path[] {folder(watched)}, changes::release)) {
            assertThat(watch).isNotNull();
            assertThat(changes.tryAcquire(200, TimeUnit.MILLISECONDS))
                    .as("nothing changed yet")
                    .isFalse();
            Files.move(staged, watched.resolve("clicks.parquet"), StandardCopyOption.ATOMIC_MOVE);
            assertThat(changes.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFolderThatAppearsLaterIsWatchedOnceRegisteredAgain() throws Exception {
        java.nio.file.Path later = dir.resolve("mounted-later");
        Path[] folders = {folder(later)};
        try (FolderChanges watch = FolderChanges.watch(folders, changes::release)) {
            assertThat(watch).as("a local folder, even before it exists").isNotNull();
            Files.createDirectory(later);
            watch.watchAll(folders); // as the periodic listing does
            Files.writeString(later.resolve("clicks.parquet"), "x");
            assertThat(changes.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBurstOfChangesIsReportedAfterItAndNotFileByFile() throws Exception {
        java.nio.file.Path watched = Files.createDirectory(dir.resolve("raw_data"));
        try (FolderChanges watch = FolderChanges.watch(new Path[] {folder(watched)}, changes::release)) {
            for (int i = 0; i < 200; i++) {
                Files.writeString(watched.resolve("f" + i + ".parquet"), "x");
            }
            assertThat(changes.tryAcquire(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
            int reports = 1;
            while (changes.tryAcquire(1, TimeUnit.SECONDS)) { // until the folder has been quiet for a second
                reports++;
            }
            // a report covers a burst's changes for up to AT_MOST: 200 files written within 5 s are at most 50
            assertThat(reports).isLessThanOrEqualTo(50);
        }
    }

    @Test
    void foldersOnOtherFileSystemsAreNotWatched() {
        assertThat(FolderChanges.watch(new Path[] {new Path("s3://bucket/raw_data")}, changes::release))
                .isNull();
    }
}
