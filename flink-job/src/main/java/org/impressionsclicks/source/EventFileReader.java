package org.impressionsclicks.source;

import java.io.IOException;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.EventKind;
import org.impressionsclicks.model.FileCount;

/**
 * Counts one Parquet event file: reads only the column chunks of {@code device_settings.user_agent}
 * (and, for {@link TimeSource#RECORD}, {@code transaction_header.creation_time}), keeps the rows of
 * one user agent and sums them per date-hour. The ~545-column row is never materialised. Pages of
 * every Parquet codec but LZO are decompressed ({@link EventFileCodecs}); a file whose columns to read
 * use LZO is rejected with a reason naming the codec.
 */
public final class EventFileReader implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String[] USER_AGENT = {"device_settings", "user_agent"};
    static final String[] CREATION_TIME = {"transaction_header", "creation_time"};

    private final UserAgentMatcher matcher;
    private final TimeSource timeSource;
    private final ZoneId zone;

    public EventFileReader(UserAgentMatcher matcher, TimeSource timeSource, ZoneId zone) {
        this.matcher = matcher;
        this.timeSource = timeSource;
        this.zone = zone;
    }

    /**
     * Counts a file. Returns one {@link FileCount} per date-hour with matching rows (in order of
     * first appearance), or a single all-zero one when no row matches; the first carries the file's
     * row count.
     *
     * @throws InvalidEventFileException when the file is not a readable Parquet event file
     */
    public List<FileCount> read(EventFileName name, String fileName, InputFile input) throws IOException {
        ParquetConfiguration conf = new PlainParquetConfiguration();
        ParquetReadOptions options = ParquetReadOptions.builder(conf).withCodecFactory(new EventFileCodecs(conf)).build();
        Map<Long, long[]> perHour = new LinkedHashMap<>();
        long rows = 0;
        try (ParquetFileReader reader = ParquetFileReader.open(input, options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            ColumnDescriptor userAgent = column(schema, USER_AGENT, PrimitiveTypeName.BINARY);
            ColumnDescriptor creationTime =
                    timeSource == TimeSource.RECORD ? column(schema, CREATION_TIME, PrimitiveTypeName.INT64) : null;
            MessageType projection = projection(schema, creationTime == null ? List.<String[]>of(USER_AGENT) : List.of(USER_AGENT, CREATION_TIME));
            reader.setRequestedSchema(projection);
            requireReadableCodecs(reader.getRowGroups(), projection);
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            long fileHour = DateHours.hourStart(name.timestamp());
            HourOfInstant hours = new HourOfInstant(zone);

            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(
                        rowGroup, new GroupRecordConverter(projection).getRootConverter(), projection, createdBy);
                ColumnReader agents = store.getColumnReader(userAgent);
                ColumnReader times = creationTime == null ? null : store.getColumnReader(creationTime);
                int maxDefinition = userAgent.getMaxDefinitionLevel();
                long groupRows = rowGroup.getRowCount();
                for (long i = 0; i < groupRows; i++) {
                    boolean match = agents.getCurrentDefinitionLevel() == maxDefinition && matcher.matches(agents.getBinary());
                    agents.consume();
                    long hour = fileHour;
                    if (times != null) {
                        if (times.getCurrentDefinitionLevel() == creationTime.getMaxDefinitionLevel()) {
                            hour = hours.hourStart(times.getLong());
                        } else {
                            match = false; // no time, no hour: the event cannot be counted
                        }
                        times.consume();
                    }
                    if (match) {
                        perHour.computeIfAbsent(hour, h -> new long[1])[0]++;
                    }
                }
                rows += groupRows;
            }
        } catch (InvalidEventFileException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw new InvalidEventFileException("not a readable Parquet file (" + rootMessage(e) + ")", e);
        }
        return counts(name, fileName, rows, perHour);
    }

    private static List<FileCount> counts(EventFileName name, String fileName, long rows, Map<Long, long[]> perHour) {
        List<FileCount> out = new ArrayList<>(Math.max(1, perHour.size()));
        boolean impressions = name.kind() == EventKind.IMPRESSION;
        long fileMatched = perHour.values().stream().mapToLong(n -> n[0]).sum();
        long lastHour = perHour.keySet().stream().mapToLong(Long::longValue).max().orElse(DateHours.hourStart(name.timestamp()));
        for (Map.Entry<Long, long[]> e : perHour.entrySet()) {
            long n = e.getValue()[0];
            long i = impressions ? n : 0;
            long c = impressions ? 0 : n;
            out.add(out.isEmpty() ? FileCount.first(fileName, e.getKey(), i, c, rows, fileMatched, lastHour) : new FileCount(fileName, e.getKey(), i, c));
        }
        if (out.isEmpty()) {
            out.add(FileCount.first(fileName, lastHour, 0, 0, rows, 0, lastHour));
        }
        return out;
    }

    /**
     * Rejects the file up front, with a reason naming the codec, when a chunk of a column to read is
     * compressed with a codec this job does not read; chunks of the other columns don't matter.
     */
    private static void requireReadableCodecs(List<BlockMetaData> rowGroups, MessageType projection)
            throws InvalidEventFileException {
        for (BlockMetaData rowGroup : rowGroups) {
            for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
                if (projection.containsPath(chunk.getPath().toArray())) {
                    EventFileCodecs.requireReadable(chunk.getCodec());
                }
            }
        }
    }

    private static ColumnDescriptor column(MessageType schema, String[] path, PrimitiveTypeName type)
            throws InvalidEventFileException {
        if (!schema.containsPath(path)) {
            throw new InvalidEventFileException("no column " + String.join(".", path));
        }
        ColumnDescriptor column = schema.getColumnDescription(path);
        if (column.getPrimitiveType().getPrimitiveTypeName() != type || column.getMaxRepetitionLevel() != 0) {
            throw new InvalidEventFileException("column " + String.join(".", path) + " is "
                    + column.getPrimitiveType() + ", expected a single " + type);
        }
        return column;
    }

    /** The file's schema cut down to the given leaf columns (groups keep their names and repetition). */
    static MessageType projection(MessageType schema, List<String[]> paths) {
        List<Type> fields = new ArrayList<>();
        for (String[] path : paths) {
            fields.add(prune(schema, path, 0));
        }
        return new MessageType(schema.getName(), fields);
    }

    private static Type prune(GroupType group, String[] path, int depth) {
        Type field = group.getType(path[depth]);
        if (depth == path.length - 1) {
            return field;
        }
        GroupType child = field.asGroupType();
        return child.withNewFields(prune(child, path, depth + 1));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
