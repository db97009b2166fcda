package org.impressionsclicks.generate;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes files on several threads, each under a hidden name in the folder, and renames them into
 * place in the order they were submitted. Writing is most of the generator's time and uses every
 * core this way, while a watching job still sees whole files appear in the generator's order (late
 * files after newer ones) just as from a single thread. At most a few files per thread are in
 * flight, so memory stays small however many files there are. Used from one thread.
 */
final class OrderedFileWriter implements Closeable {

    private static final int FILES_IN_FLIGHT_PER_THREAD = 4;

    private final Path dir;
    private final ExecutorService threads;
    private final int inFlight;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final List<Path> written = new ArrayList<>();

    OrderedFileWriter(Path dir, int threads) {
        this.dir = dir;
        this.threads = Executors.newFixedThreadPool(threads);
        this.inFlight = FILES_IN_FLIGHT_PER_THREAD * threads;
    }

    /** Queues {@code fileName}, to be written by {@code writer}; waits while too many files are in flight. */
    void submit(String fileName, FileWriter writer) throws IOException {
        Path hidden = dir.resolve("." + fileName + ".inprogress");
        pending.add(new Pending(hidden, fileName, threads.submit(() -> {
            Files.deleteIfExists(hidden);
            writer.write(hidden);
            return null;
        })));
        while (pending.size() > inFlight) {
            renameOldest();
        }
    }

    /** Waits for the queued files and renames them; returns every file written, in submission order. */
    List<Path> finish() throws IOException {
        while (!pending.isEmpty()) {
            renameOldest();
        }
        return written;
    }

    private void renameOldest() throws IOException {
        Pending file = pending.removeFirst();
        try {
            file.writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + file.name);
        } catch (ExecutionException e) {
            Files.deleteIfExists(file.hidden);
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("writing " + file.name + " failed", cause);
        }
        written.add(Files.move(file.hidden, dir.resolve(file.name), StandardCopyOption.ATOMIC_MOVE));
    }

    /** Stops the threads; after a failure, deletes the hidden files that were not renamed. */
    @Override
    public void close() throws IOException {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IOException("file writers did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while stopping the file writers");
        }
        for (Pending file : pending) {
            Files.deleteIfExists(file.hidden);
        }
        pending.clear();
    }

    /** Writes a new file at the given path. */
    @FunctionalInterface
    interface FileWriter {
        void write(Path file) throws IOException;
    }

    private record Pending(Path hidden, String name, Future<Void> writing) {}
}
