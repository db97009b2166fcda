package org.impressionsclicks.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileEnumeratorTest {

    @TempDir
    java.nio.file.Path folder;

    @Test
    void aLocalFolderGivesTheSplitsFlinksListingWouldWithTheSamePaths() throws IOException {
        write("impressions_processed_dk_20220526113212045_1-2_0.parquet", 10, 1_600_000_000_000L);
        write("clicks_processed_dk_20220527120143730_1-2_1.parquet", 20, 1_600_000_001_000L);
        write("clicks_processed_dk_20220527120143730_1 2%20x_1.parquet", 30, 1_600_000_002_000L); // escaping in paths
        write("readme.txt", 3, 1_600_000_003_000L); // rejected by the reader, so a split
        write(".impressions_processed_dk_20220526113212045_1-2_0.parquet", 10, 1_600_000_004_000L); // in progress
        write("impressions_processed_dk_20220526113212045_1-2_0.parquet.tmp", 10, 1_600_000_005_000L);
        Files.createDirectory(folder.resolve("clicks_processed_dk_20220527120143730_9-9_1.parquet"));

        Path dir = new Path(folder.toUri());
        List<String> expected = Stream.of(dir.getFileSystem().listStatus(dir))
                .filter(s ->
                        !s.isDir() && !EventFileName.isInProgress(s.getPath().getName()))
                .map(EventFileEnumeratorTest::describe)
                .sorted()
                .collect(Collectors.toList());

        assertThat(expected).hasSize(4);
        assertThat(splits(DateRange.ALL, dir)).isEqualTo(expected);
        assertThat(splits(DateRange.ALL, new Path(folder.toString())))
                .as("a path without scheme")
                .isEqualTo(expected);
    }

    @Test
    void filesOutsideTheDateRangeAreLeftOut() throws IOException {
        write("impressions_processed_dk_20220526113212045_1-2_0.parquet", 10, 1_600_000_000_000L);
        write("clicks_processed_dk_20220527120143730_1-2_1.parquet", 20, 1_600_000_001_000L);
        DateRange may27 = new DateRange(LocalDate.of(2022, 5, 27), LocalDate.of(2022, 5, 27));
        assertThat(splits(may27, new Path(folder.toUri())))
                .singleElement()
                .asString()
                .contains("clicks_processed_dk_20220527120143730_1-2_1.parquet");
    }

    @Test
    void aMissingFolderIsSaidSo() {
        Path missing = new Path(folder.resolve("nothing-here").toUri());
        assertThatThrownBy(() -> new EventFileEnumerator(DateRange.ALL).enumerateSplits(new Path[] {missing}, 1))
                .isInstanceOf(MissingInputFolderException.class);
    }

    private void write(String name, int bytes, long modified) throws IOException {
        java.nio.file.Path file = Files.write(folder.resolve(name), new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
    }

    private static List<String> splits(DateRange range, Path dir) throws IOException {
        return new EventFileEnumerator(range)
                .enumerateSplits(new Path[] {dir}, 1).stream()
                        .map(EventFileEnumeratorTest::describe)
                        .sorted()
                        .collect(Collectors.toList());
    }

    private static String describe(FileStatus s) {
        return s.getPath() + " " + s.getLen() + " " + s.getModificationTime();
    }

    private static String describe(FileSourceSplit s) {
        assertThat(s.offset()).isZero();
        assertThat(s.length()).isEqualTo(s.fileSize());
        return s.path() + " " + s.fileSize() + " " + s.fileModificationTime();
    }

    @Test
    void knownFilesAreSeenWithoutBeingLookedAt() throws IOException {
        write("impressions_processed_dk_20220526113212045_1-2_0.parquet", 10, 1_600_000_000_000L);
        write("clicks_processed_dk_20220527120143730_1-2_1.parquet", 20, 1_600_000_001_000L);
        Path dir = new Path(folder.toUri());
        List<FileSourceSplit> all = new EventFileEnumerator(DateRange.ALL)
                .list(new Path[] {dir}, p -> false)
                .files();
        Path impressions = all.stream()
                .map(FileSourceSplit::path)
                .filter(p -> p.getName().startsWith("impressions"))
                .findFirst()
                .orElseThrow();

        EventFileEnumerator.Listing listing =
                new EventFileEnumerator(DateRange.ALL).list(new Path[] {dir}, impressions.toString()::equals);
        assertThat(listing.known()).containsExactly(impressions.toString());
        assertThat(listing.files())
                .singleElement()
                .extracting(s -> s.path().getName())
                .isEqualTo("clicks_processed_dk_20220527120143730_1-2_1.parquet");
    }

    @Test
    void aWatchedFolderIsReadAgainOnlyWhenItsTimeChangedOrNotLongBeforeTheLastListing() throws IOException {
        long t0 = 1_700_000_000_000L;
        write("impressions_processed_dk_20220526113212045_1-2_0.parquet", 10, t0);
        Files.setLastModifiedTime(folder, FileTime.fromMillis(t0));
        long[] now = {t0 + 5_000};
        EventFileEnumerator e = new EventFileEnumerator(DateRange.ALL, () -> now[0]);
        Path[] dirs = {new Path(folder.toUri())};

        assertThat(e.listIfChanged(dirs, p -> false).files()).hasSize(1);
        now[0] += 500;
        assertThat(e.listIfChanged(dirs, p -> false))
                .as("unchanged since a listing 5 s after its time")
                .isNull();

        write("clicks_processed_dk_20220527120143730_1-2_1.parquet", 20, t0);
        Files.setLastModifiedTime(folder, FileTime.fromMillis(now[0] - 100)); // what the file's arrival did
        now[0] += 500;
        assertThat(e.listIfChanged(dirs, p -> false).files()).as("changed").hasSize(2);
        now[0] += 500;
        assertThat(e.listIfChanged(dirs, p -> false))
                .as("unchanged, but the last listing began only 600 ms after the folder's time: another file may"
                        + " have come in the same tick")
                .isNotNull();
        now[0] += 500;
        assertThat(e.listIfChanged(dirs, p -> false))
                .as("that listing began 1.1 s after it")
                .isNull();
        now[0] += EventFileEnumerator.RELIST_EVERY_MILLIS;
        assertThat(e.listIfChanged(dirs, p -> false).files())
                .as("read in full every so often all the same")
                .hasSize(2);
    }

    @Test
    void aWatchedFolderThatGoesMissingIsSaidSo() throws IOException {
        Files.setLastModifiedTime(folder, FileTime.fromMillis(1_700_000_000_000L));
        long[] now = {1_700_000_005_000L};
        EventFileEnumerator e = new EventFileEnumerator(DateRange.ALL, () -> now[0]);
        Path[] dirs = {new Path(folder.toUri())};
        assertThat(e.listIfChanged(dirs, p -> false).files()).isEmpty();
        Files.delete(folder);
        now[0] += 500;
        assertThatThrownBy(() -> e.listIfChanged(dirs, p -> false)).isInstanceOf(MissingInputFolderException.class);
    }

    @Test
    void aFilePathIsTheOneFlinkMakesOfItsName() throws IOException {
        String[] folders = {
            "/data/raw",
            "/data/raw/",
            "/data/a b",
            "/data/%41x",
            "/data/ü/é",
            "/data/#x",
            "/data/a:b",
            "/data/x/../y",
            "/"
        };
        String[] names = {
            "impressions_processed_dk_20220526113212045_172845633-172845636_1.parquet",
            "clicks_processed_dk_20220527120143730_1-2_0.parquet",
            "clicks_processed_dk_20220527120143730_1 2_0.parquet",
            "clicks_processed_dk_20220527120143730_1%2_0.parquet",
            "clicks_processed_dk_20220527120143730_a:b_0.parquet",
            "clicks_processed_dk_20220527120143730_ü_0.parquet",
            "readme.txt",
            "...",
            "-x_1.Parquet",
            "..",
            ".",
        };
        var fs = org.apache.flink.core.fs.local.LocalFileSystem.getSharedInstance();
        for (String folder : folders) {
            String folderPath = folder.endsWith("/") ? folder : folder + "/";
            java.net.URI folderUri = EventFileEnumerator.folderUri(fs, folderPath);
            for (String name : names) {
                String path = "file:" + folderPath + name;
                Path expected = new Path(path);
                Path made = EventFileEnumerator.childPath(folderUri, path, name);
                assertThat(made).as(path).isEqualTo(expected);
                assertThat(made.toString()).as(path).isEqualTo(expected.toString());
                assertThat(made.toUri().toString())
                        .as(path)
                        .isEqualTo(expected.toUri().toString());
            }
        }
    }
}
