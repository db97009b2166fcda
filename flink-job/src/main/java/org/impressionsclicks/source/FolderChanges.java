package org.impressionsclicks.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a watching source that a local input folder changed, so that it lists the folder then
 * rather than at its next {@code monitor-interval}: the JDK's {@link WatchService} (inotify on
 * Linux) on each local folder, one daemon thread. A file renamed into the folder is seen within
 * {@link #QUIET} instead of 0 to 500 ms later; a backlog dropped at once is listed as it lands.
 *
 * <p>It only hastens listings: the periodic listing goes on, for folders on other file systems
 * (object storage), for a folder that appears later or is replaced ({@link #watchAll}, called before
 * each periodic listing, registers it then), and for changes the kernel did not report (an event
 * queue that overflowed, a network mount changed by another host). A burst of changes is one call:
 * the thread waits until the folder has been quiet for {@link #QUIET}, but no longer than {@link
 * #AT_MOST} after the first change, so that a file still being copied in place (which the input's
 * contract rules out, but {@code cp} does) is not listed the instant it is created.
 */
final class FolderChanges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderChanges.class);

    /** How long a folder must be quiet before a change is reported. */
    static final Duration QUIET = Duration.ofMillis(20);
    /** How long after the first change of a burst it is reported at the latest. */
    static final Duration AT_MOST = Duration.ofMillis(100);

    private final WatchService service;
    private final Runnable changed;
    private final Map<java.nio.file.Path, WatchKey> keys = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private FolderChanges(WatchService service, Runnable changed) {
        this.service = service;
        this.changed = changed;
        this.thread = new Thread(this::run, "event-files-folder-changes");
        thread.setDaemon(true);
    }

    /**
     * Watches the local ones of {@code folders} (those that exist now; others once {@link #watchAll}
     * finds them) and runs {@code changed} from its own thread after each burst of changes; null when
     * none of them is local or the JDK can't watch (it says why once, and the periodic listing stays).
     */
    @Nullable
    static FolderChanges watch(Path[] folders, Runnable changed) {
        boolean anyLocal = false;
        for (Path folder : folders) {
            anyLocal |= local(folder) != null;
        }
        if (!anyLocal) {
            return null;
        }
        try {
            FolderChanges changes = new FolderChanges(FileSystems.getDefault().newWatchService(), changed);
            changes.watchAll(folders);
            changes.thread.start();
            return changes;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info(
                    "Not watching {} for changes ({}); listing it every monitor-interval",
                    List.of(folders),
                    e.toString());
            return null;
        }
    }

    /** Registers every local folder of {@code folders} that exists and isn't watched (again, if replaced). */
    synchronized void watchAll(Path[] folders) {
        for (Path folder : folders) {
            java.nio.file.Path dir = local(folder);
            WatchKey key = dir == null ? null : keys.get(dir);
            if (dir == null || (key != null && key.isValid()) || !Files.isDirectory(dir)) {
                continue;
            }
            try {
                keys.put(
                        dir,
                        dir.register(
                                service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY));
            } catch (IOException | ClosedWatchServiceException e) {
                LOG.debug("Cannot watch {} for changes; listing it every monitor-interval", dir, e);
            }
        }
    }

    @Nullable
    private static java.nio.file.Path local(Path folder) {
        try {
            FileSystem fs = folder.getFileSystem();
            return fs instanceof LocalFileSystem local
                    ? local.pathToFile(folder).toPath()
                    : null;
        } catch (IOException e) {
            return null; // no file system for its scheme: the listing reports that
        }
    }

    private void run() {
        try {
            while (true) {
                take(service.take());
                long last = System.nanoTime();
                long deadline = last + AT_MOST.toNanos();
                for (long now = last; now < deadline; now = System.nanoTime()) {
                    long wait = Math.min(last + QUIET.toNanos(), deadline) - now;
                    WatchKey more = wait > 0 ? service.poll(wait, TimeUnit.NANOSECONDS) : null;
                    if (more == null) {
                        break;
                    }
                    take(more);
                    last = System.nanoTime();
                }
                changed.run();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed with the enumerator
        } catch (RuntimeException e) {
            if (!closed) { // else the source is closing, and its coordinator refused the listing
                LOG.warn("Stopped watching the input folder for changes; listing it every monitor-interval", e);
            }
        }
    }

    /** Consumes a key's events (their names don't matter: the listing looks at the whole folder). */
    private static void take(WatchKey key) {
        key.pollEvents();
        key.reset(); // false once the folder is gone: watchAll registers it again when it is back
    }

    @Override
    public void close() throws IOException {
        closed = true;
        service.close();
        thread.interrupt();
    }
}
