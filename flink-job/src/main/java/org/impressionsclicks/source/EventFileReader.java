package org.impressionsclicks.source;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.impressionsclicks.model.CountedFile;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileHour;
import org.impressionsclicks.model.FileResult;
import org.impressionsclicks.source.FooterSkimmer.Chunk;
import org.impressionsclicks.source.FooterSkimmer.Footer;
import org.impressionsclicks.source.FooterSkimmer.RowGroup;
import org.impressionsclicks.util.Throwables;

/**
 * Counts one Parquet event file: the rows of one user agent per date-hour, read from the column
 * chunks of {@code device_settings.user_agent} (and, for {@link TimeSource#RECORD},
 * {@code transaction_header.creation_time}) and nothing else.
 *
 * <p>Upstream files are tiny and wide: a few events, and a footer describing ~545 column chunks
 * that is most of the file. So the cost of a file is its footer, and the reader is built around
 * touching as little of it as it can:
 * <ul>
 *   <li>the file's tail (for an upstream file, the whole file) is read in one go;
 *   <li>the footer is skimmed ({@link FooterSkimmer}): only the two columns' chunks are parsed, the
 *       others are skipped in the Thrift bytes, and the schema is resolved once per distinct schema;
 *   <li>a row group whose statistics exclude the user agent, or whose column is all null, is not
 *       read at all; its rows still count from the footer;
 *   <li>the user agent is compared with a row group's dictionary once, and the matching dictionary
 *       ids are counted straight from the RLE/bit-packed runs ({@link RleBitPackedHybrid}); plain
 *       pages (a dictionary's fallback mid-chunk) are compared in place. No value is materialised.
 * </ul>
 * Every codec but LZO ({@link EventFileCodecs}), data pages v1 and v2, and every encoding are
 * read; a file whose columns to read use LZO is rejected with a reason naming the codec.
 *
 * <p>A user agent's count lands in the slot {@link UserAgentMatcher#slotOf} gives it, so counting
 * several user agents in the same read only needs a matcher with more slots.
 */
public final class EventFileReader implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String[] USER_AGENT = {"device_settings", "user_agent"};
    static final String[] CREATION_TIME = {"transaction_header", "creation_time"};

    /** Bytes read from a file's end in one go: the whole of an upstream file (~113 KB), the footer of most others. */
    static final int TAIL_BYTES = 256 * 1024;
    /**
     * Each reading thread's buffer for the tails: a new one per file was most of the job's
     * allocation (2.5 GB for 20 000 upstream files) and of its garbage collections.
     */
    private static final ThreadLocal<byte[]> TAILS = ThreadLocal.withInitial(() -> new byte[TAIL_BYTES]);

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);
    private static final int UA = 0;
    private static final int TIME = 1;

    /**
     * The skimmers of the two time sources, shared by every reader of the process, so that a schema
     * is resolved once per process, not once per reader.
     */
    private static final FooterSkimmer BY_FILE_NAME =
            new FooterSkimmer(List.<String[]>of(USER_AGENT), List.of(PrimitiveTypeName.BINARY));

    private static final FooterSkimmer BY_RECORD = new FooterSkimmer(
            List.of(USER_AGENT, CREATION_TIME), List.of(PrimitiveTypeName.BINARY, PrimitiveTypeName.INT64));

    private final UserAgentMatcher matcher;
    private final TimeSource timeSource;
    private final ZoneId zone;

    public EventFileReader(UserAgentMatcher matcher, TimeSource timeSource, ZoneId zone) {
        this.matcher = matcher;
        this.timeSource = timeSource;
        this.zone = zone;
    }

    private FooterSkimmer skimmer() {
        return timeSource == TimeSource.RECORD ? BY_RECORD : BY_FILE_NAME;
    }

    /**
     * The footer's first bytes read from a local file: the most a skim of a one-row-group file has
     * needed in this process (the schema and the chunks up to the wanted ones), plus a margin. A hint
     * shared by the reading threads (a stale value only costs a read of the whole footer).
     */
    private static volatile int footerPrefix = 32 * 1024;

    /** The footer's first bytes the next local file's read takes (for tests). */
    static int footerPrefix() {
        return footerPrefix;
    }

    /** Skims the footer, from its first bytes when they suffice, else from all of it. */
    private Footer skim(FileTail file) throws IOException {
        try {
            return skimmer().skim(file.bytes, file.footerFrom, file.footerTo);
        } catch (InvalidEventFileException tooShortOrBad) {
            if (file.holdsWholeFooter()) {
                throw tooShortOrBad;
            }
        }
        file.readWholeFooter(); // it says whether the first bytes were too few or the file is bad
        Footer footer = skimmer().skim(file.bytes, file.footerFrom, file.footerTo);
        if (footer.cutShort() && footer.skimmed() >= footerPrefix) {
            footerPrefix = Math.min(footer.skimmed() + 4096, TAIL_BYTES);
        }
        return footer;
    }

    /**
     * Counts a file: its result (rows, matching rows, first and last hour with matches) and one
     * {@link FileHour} per date-hour with matching rows, in order of first appearance (none when no
     * row matches).
     *
     * @throws InvalidEventFileException when the file is not a readable Parquet event file
     */
    public CountedFile read(EventFileName name, String fileName, InputFile input) throws IOException {
        long fileHour = DateHours.hourStart(name.timestamp());
        Map<Long, long[]> perHour = new LinkedHashMap<>();
        long rows;
        try (SeekableInputStream in = input.newStream()) {
            FileTail file = new FileTail(in, input.getLength());
            Footer footer = skim(file);
            for (RowGroup group : footer.rowGroups()) {
                for (Chunk chunk : group.chunks()) {
                    EventFileCodecs.requireReadable(chunk.codec);
                }
            }
            HourOfInstant hours = new HourOfInstant(zone);
            for (RowGroup group : footer.rowGroups()) {
                Chunk agents = group.chunks()[UA];
                if (excludes(footer, agents)) {
                    continue;
                }
                if (timeSource == TimeSource.RECORD) {
                    countPerRow(file, footer, group, hours, perHour);
                } else {
                    long[] counts =
                            countUserAgents(file.pages(agents, PrimitiveTypeName.BINARY, footer.maxDefinition()[UA]));
                    if (counts[0] > 0) {
                        perHour.computeIfAbsent(fileHour, h -> new long[matcher.slots()])[0] += counts[0];
                    }
                }
            }
            rows = footer.rows();
        } catch (InvalidEventFileException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw new InvalidEventFileException("not a readable Parquet file (" + Throwables.rootMessage(e) + ")", e);
        }
        return counts(name, fileName, rows, perHour);
    }

    /** Whether the chunk's statistics prove that no row of the row group has a user agent to count. */
    private boolean excludes(Footer footer, Chunk agents) {
        if (agents.nullCount >= 0 && agents.nullCount == agents.numValues) {
            return true;
        }
        // Only min_value/max_value in the type's own (unsigned) order: the deprecated min/max of old
        // writers compare bytes as signed. The order is unknown when the skimmer stopped before the
        // footer's column orders (a file of one row group), where the dictionary does the same job.
        return footer.typeDefinedOrder()[UA]
                && agents.minFrom >= 0
                && agents.maxFrom >= 0
                && !matcher.mayBeWithin(
                        footer.bytes(), agents.minFrom, agents.minLength, agents.maxFrom, agents.maxLength);
    }

    /** Filename time: the user agents' counts over a chunk, without a value per row. */
    private long[] countUserAgents(ColumnChunkPages pages) throws InvalidEventFileException {
        long[] counts = new long[matcher.slots()];
        Dictionary dictionary = null;
        while (pages.next()) {
            if (pages.isDictionary()) {
                dictionary = dictionary(pages);
            } else if (pages.isDictionaryEncoded()) {
                requireDictionary(dictionary != null);
                if (dictionary.anySlot) { // else no id can match: the page isn't even decoded
                    byte[] page = pages.page();
                    int from = pages.valuesFrom();
                    int n = pages.nonNull();
                    if (n > 0) {
                        requireBitWidth(pages, from);
                        RleBitPackedHybrid.count(
                                page, from + 1, pages.valuesTo(), page[from], n, dictionary.slotOfId, counts);
                    }
                }
            } else {
                int[] slots = userAgentSlots(pages, pages.nonNull(), null);
                for (int slot : slots) {
                    if (slot >= 0) {
                        counts[slot]++;
                    }
                }
            }
        }
        return counts;
    }

    /** Record time: each row's user agent and creation time, counted in the row's own hour. */
    private void countPerRow(
            FileTail file, Footer footer, RowGroup group, HourOfInstant hours, Map<Long, long[]> perHour)
            throws IOException {
        if (group.rows() > Integer.MAX_VALUE) {
            throw ColumnChunkPages.corrupt("row group of " + group.rows() + " rows");
        }
        int rows = (int) group.rows();
        int[] slotOfRow = new int[rows];
        boolean any = false;
        Dictionary dictionary = null;
        ColumnChunkPages agents = file.pages(group.chunks()[UA], PrimitiveTypeName.BINARY, footer.maxDefinition()[UA]);
        int[] levels = new int[0];
        int row = 0;
        while (agents.next()) {
            if (agents.isDictionary()) {
                dictionary = dictionary(agents);
                continue;
            }
            levels = levelsOf(agents, levels, row, rows);
            int[] values = userAgentSlots(agents, agents.nonNull(), dictionary);
            int maxDefinition = footer.maxDefinition()[UA];
            for (int i = 0, v = 0; i < agents.valueCount(); i++) {
                int slot = levels[i] == maxDefinition ? values[v++] : -1;
                slotOfRow[row++] = slot;
                any |= slot >= 0;
            }
        }
        if (!any) {
            return; // no row to count: the times aren't read
        }
        ColumnChunkPages times =
                file.pages(group.chunks()[TIME], PrimitiveTypeName.INT64, footer.maxDefinition()[TIME]);
        long[] timeDictionary = null;
        row = 0;
        while (times.next()) {
            if (times.isDictionary()) {
                timeDictionary = longs(times, times.valueCount());
                continue;
            }
            levels = levelsOf(times, levels, row, rows);
            long[] values = times.isDictionaryEncoded()
                    ? dictionaryLongs(times, timeDictionary)
                    : longs(times, times.nonNull());
            int maxDefinition = footer.maxDefinition()[TIME];
            for (int i = 0, v = 0; i < times.valueCount(); i++, row++) {
                if (levels[i] != maxDefinition) {
                    continue; // no time, no hour: the event cannot be counted
                }
                long time = values[v++];
                int slot = slotOfRow[row];
                if (slot >= 0) {
                    perHour.computeIfAbsent(hours.hourStart(time), h -> new long[matcher.slots()])[slot]++;
                }
            }
        }
    }

    private static int[] levelsOf(ColumnChunkPages pages, int[] levels, int row, int rows)
            throws InvalidEventFileException {
        if (pages.valueCount() > rows - row) {
            throw ColumnChunkPages.corrupt("more values than the row group's " + rows + " rows");
        }
        int[] into = levels.length >= pages.valueCount() ? levels : new int[pages.valueCount()];
        return pages.definitionLevels(into, 0);
    }

    /** A dictionary page of user agents: each id's slot, compared once for the whole row group. */
    private Dictionary dictionary(ColumnChunkPages pages) throws InvalidEventFileException {
        int[] slotOfId = userAgentSlots(pages, pages.valueCount(), null);
        boolean any = false;
        for (int slot : slotOfId) {
            any |= slot >= 0;
        }
        return new Dictionary(slotOfId, any);
    }

    /** The slots of {@code n} user-agent values of a page (-1: not one to count). */
    private int[] userAgentSlots(ColumnChunkPages pages, int n, Dictionary dictionary)
            throws InvalidEventFileException {
        int[] slots = new int[n];
        byte[] page = pages.page();
        if (pages.isDictionaryEncoded() && !pages.isDictionary()) {
            int[] ids = dictionaryIds(pages, n, dictionary == null ? -1 : dictionary.slotOfId.length);
            for (int i = 0; i < n; i++) {
                slots[i] = dictionary.slotOfId[ids[i]];
            }
        } else if (pages.encoding() == ColumnChunkPages.PLAIN || pages.isDictionary()) {
            int at = pages.valuesFrom();
            int end = pages.valuesTo();
            for (int i = 0; i < n; i++) {
                if (end - at < 4) {
                    throw ColumnChunkPages.corrupt("plain value past the page's end");
                }
                int length = ColumnChunkPages.littleEndianInt(page, at);
                at += 4;
                if (length < 0 || length > end - at) {
                    throw ColumnChunkPages.corrupt("plain value of " + length + " bytes");
                }
                slots[i] = matcher.slotOf(page, at, length);
                at += length;
            }
        } else { // DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY: parquet-java decodes, rare enough
            ValuesReader values = pages.valuesReader(n);
            for (int i = 0; i < n; i++) {
                byte[] value = values.readBytes().getBytesUnsafe();
                slots[i] = matcher.slotOf(value, 0, value.length);
            }
        }
        return slots;
    }

    private static long[] longs(ColumnChunkPages pages, int n) throws InvalidEventFileException {
        long[] values = new long[n];
        if (pages.encoding() == ColumnChunkPages.PLAIN || pages.isDictionary()) {
            int at = pages.valuesFrom();
            if ((long) n * 8 > pages.valuesTo() - at) {
                throw ColumnChunkPages.corrupt(n + " plain int64 values past the page's end");
            }
            byte[] page = pages.page();
            for (int i = 0; i < n; i++, at += 8) {
                values[i] = ColumnChunkPages.littleEndianLong(page, at);
            }
        } else { // DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT
            ValuesReader reader = pages.valuesReader(n);
            for (int i = 0; i < n; i++) {
                values[i] = reader.readLong();
            }
        }
        return values;
    }

    private static long[] dictionaryLongs(ColumnChunkPages pages, long[] dictionary) throws InvalidEventFileException {
        int n = pages.nonNull();
        int[] ids = dictionaryIds(pages, n, dictionary == null ? -1 : dictionary.length);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = dictionary[ids[i]];
        }
        return values;
    }

    /**
     * The {@code n} dictionary ids of a dictionary-encoded data page, each checked to lie within a
     * dictionary of {@code dictionarySize} entries (-1: the chunk had no dictionary page).
     */
    private static int[] dictionaryIds(ColumnChunkPages pages, int n, int dictionarySize)
            throws InvalidEventFileException {
        requireDictionary(dictionarySize >= 0);
        int[] ids = new int[n];
        if (n > 0) {
            requireBitWidth(pages, pages.valuesFrom());
            byte[] page = pages.page();
            RleBitPackedHybrid.decode(
                    page, pages.valuesFrom() + 1, pages.valuesTo(), page[pages.valuesFrom()], n, ids, 0);
        }
        for (int id : ids) {
            if (id < 0 || id >= dictionarySize) {
                throw ColumnChunkPages.corrupt("dictionary id " + id + " of " + dictionarySize);
            }
        }
        return ids;
    }

    private static void requireDictionary(boolean present) throws InvalidEventFileException {
        if (!present) {
            throw ColumnChunkPages.corrupt("dictionary-encoded page without a dictionary");
        }
    }

    private static void requireBitWidth(ColumnChunkPages pages, int at) throws InvalidEventFileException {
        if (at >= pages.valuesTo()) {
            throw ColumnChunkPages.corrupt("dictionary-encoded page without its bit width");
        }
    }

    /** The ids of a row group's dictionary, each mapped to a slot, and whether any id has one. */
    private record Dictionary(int[] slotOfId, boolean anySlot) {}

    /**
     * The bytes of a file's footer, with the footer located; column chunks inside them are read from
     * these bytes, others from the file.
     *
     * <p>From a store (S3, HDFS) the file's last {@link #TAIL_BYTES} (the whole of a small file) come
     * in one request. A local file is read narrower, in positioned reads: its last 8 bytes (the
     * footer's length), then the footer's first {@link #footerPrefix} bytes (the schema and the
     * chunks up to the wanted ones, which is all the skimmer reads of a one-row-group file), later
     * each wanted chunk. For a 113 KB upstream file that is 23 KB instead of 113 KB copied out of the
     * page cache, in three system calls instead of one; the whole footer is read when a skim needs
     * more ({@link #readWholeFooter}).
     */
    private static final class FileTail {

        private final SeekableInputStream in;
        private final long tailStart;
        private final long footerStart;
        private final int footerLength;
        /** Whether {@link #bytes} are the tail (else only the footer, or its prefix). */
        private final boolean holdsTail;

        byte[] bytes;
        final int footerFrom;
        int footerTo;

        FileTail(SeekableInputStream in, long length) throws IOException {
            this.in = in;
            if (length < 12) {
                throw new InvalidEventFileException("not a readable Parquet file (" + length + " bytes, too short)");
            }
            byte[] buffer = TAILS.get(); // this thread's: it holds one file, until read returns
            boolean narrow = FlinkInputFile.readsLocally(in);
            int tailLength = narrow ? 8 : (int) Math.min(length, TAIL_BYTES);
            tailStart = length - tailLength;
            if (tailStart > 0) { // a new stream is at 0: a small file is read without a seek
                in.seek(tailStart);
            }
            in.readFully(buffer, 0, tailLength);
            if (Arrays.equals(buffer, tailLength - 4, tailLength, ENCRYPTED_MAGIC, 0, 4)) {
                throw new InvalidEventFileException("encrypted Parquet file, which this job does not read");
            }
            if (!Arrays.equals(buffer, tailLength - 4, tailLength, MAGIC, 0, 4)) {
                throw new InvalidEventFileException("not a readable Parquet file (no Parquet magic number at its end)");
            }
            footerLength = ColumnChunkPages.littleEndianInt(buffer, tailLength - 8);
            if (footerLength <= 0 || footerLength > length - 12) {
                throw new InvalidEventFileException("not a readable Parquet file (footer of " + footerLength
                        + " bytes in a file of " + length + ")");
            }
            footerStart = length - 8 - footerLength;
            if (narrow) {
                int prefix = Math.min(footerLength, footerPrefix);
                in.seek(footerStart);
                in.readFully(buffer, 0, prefix);
                bytes = buffer;
                holdsTail = false;
                footerFrom = 0;
                footerTo = prefix;
            } else if (footerStart >= tailStart) {
                bytes = buffer;
                holdsTail = true;
                footerFrom = (int) (footerStart - tailStart);
                footerTo = footerFrom + footerLength;
            } else { // a footer larger than the tail read
                readWholeFooter();
                holdsTail = false;
                footerFrom = 0;
            }
        }

        /** Whether {@link #bytes} hold the whole footer, not only its first bytes. */
        boolean holdsWholeFooter() {
            return footerTo - footerFrom == footerLength;
        }

        /** Reads the whole footer, where only its first bytes were read. */
        void readWholeFooter() throws IOException {
            byte[] buffer = TAILS.get();
            bytes = footerLength <= buffer.length ? buffer : new byte[footerLength];
            in.seek(footerStart);
            in.readFully(bytes, 0, footerLength);
            footerTo = footerLength; // footerFrom is 0
        }

        /** The pages of a column chunk, from the tail when it holds them, else read from the file. */
        ColumnChunkPages pages(Chunk chunk, PrimitiveTypeName type, int maxDefinition) throws IOException {
            long start = chunk.start();
            long length = chunk.length();
            if (start < 4 || length > footerStart - start) {
                throw new InvalidEventFileException("not a readable Parquet file (column chunk at " + start + " of "
                        + length + " bytes lies outside the file's data: truncated?)");
            }
            if (holdsTail && start >= tailStart) {
                int from = (int) (start - tailStart);
                return new ColumnChunkPages(
                        bytes, from, from + (int) length, chunk.codec, type, maxDefinition, chunk.numValues);
            }
            byte[] chunkBytes = new byte[(int) length];
            in.seek(start);
            in.readFully(chunkBytes);
            return new ColumnChunkPages(
                    chunkBytes, 0, chunkBytes.length, chunk.codec, type, maxDefinition, chunk.numValues);
        }
    }

    private static CountedFile counts(EventFileName name, String fileName, long rows, Map<Long, long[]> perHour) {
        EventKind kind = name.kind();
        if (perHour.isEmpty()) {
            long nameHour = DateHours.hourStart(name.timestamp());
            return CountedFile.withoutHours(FileResult.read(fileName, kind, nameHour, nameHour, rows, 0));
        }
        FileHour[] hours = new FileHour[perHour.size()];
        long matched = 0;
        long lastHour = Long.MIN_VALUE;
        int i = 0;
        for (Map.Entry<Long, long[]> e : perHour.entrySet()) {
            long events = e.getValue()[0];
            hours[i++] = new FileHour(fileName, kind, e.getKey(), events);
            matched += events;
            lastHour = Math.max(lastHour, e.getKey());
        }
        return new CountedFile(FileResult.read(fileName, kind, hours[0].hourStart, lastHour, rows, matched), hours);
    }
}
