package org.impressionsclicks.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderedFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void aFileWrittenFirstWaitsHiddenUntilTheFilesBeforeItAreInPlace() throws Exception {
        CountDownLatch secondWritten = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        try (OrderedFileWriter writer = new OrderedFileWriter(dir, 2)) {
            writer.submit("first", file -> {
                await(releaseFirst);
                Files.writeString(file, "1");
            });
            writer.submit("second", file -> {
                Files.writeString(file, "2");
                secondWritten.countDown();
            });
            CompletableFuture<List<Path>> finished = CompletableFuture.supplyAsync(() -> {
                try {
                    return writer.finish();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(secondWritten.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(names()).containsExactly(".second.inprogress"); // written, but not renamed before "first"
            releaseFirst.countDown();
            assertThat(finished.get(10, TimeUnit.SECONDS)).containsExactly(dir.resolve("first"), dir.resolve("second"));
        }
        assertThat(names()).containsExactly("first", "second");
    }

    @Test
    void aFailedFileFailsTheRunAndLeavesNoHiddenFile() throws Exception {
        try (OrderedFileWriter writer = new OrderedFileWriter(dir, 2)) {
            writer.submit("good", file -> Files.writeString(file, "ok"));
            writer.submit("bad", file -> {
                Files.writeString(file, "half");
                throw new IOException("disk full");
            });
            assertThatThrownBy(writer::finish).isInstanceOf(IOException.class).hasMessage("disk full");
        }
        assertThat(names()).containsExactly("good");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IOException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
