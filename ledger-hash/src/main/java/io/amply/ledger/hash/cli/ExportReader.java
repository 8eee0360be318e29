package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.CheckedLines;
import io.amply.ledger.hash.ExportLineChecker;
import io.amply.ledger.hash.LedgerEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a JSON Lines export (ledger-hash-v1 §6) and hands its entries to a sink in file order,
 * with memory that does not grow with the ledger.
 *
 * <p>Lines are checked in parallel: a reader thread cuts the stream into chunks of whole lines,
 * worker threads check each line on its own ({@link ExportLineChecker}, or the reference parse for
 * a line it leaves alone), and the calling thread takes the chunks back in order and feeds the
 * sink. A fixed set of chunk buffers bounds how far reading runs ahead. What the sink sees, and
 * every error with its line number, is what reading the lines one by one gives: a line is split
 * at LF, CR or CRLF as {@link java.io.BufferedReader#readLine} does, decoded as strict UTF-8, a
 * byte-order mark is dropped from line 1, and blank lines are skipped.
 */
final class ExportReader implements AutoCloseable {

    /** Receives entries in file order; returning false stops the reading. */
    interface Sink {
        boolean accept(Line line);
    }

    /** One entry line as the sink sees it; valid only during the call to the sink. */
    static final class Line {
        private final ExportReader reader;
        private Chunk chunk;
        private int index;
        private long number;

        private Line(ExportReader reader) {
            this.reader = reader;
        }

        /** The checked lines this one is in, or null when it needs {@link #entry()} and ChainVerifier.accept. */
        CheckedLines checked() {
            return chunk.kinds[index] >= 0 ? chunk.lines : null;
        }

        /** Its index in {@link #checked()}. */
        int checkedIndex() {
            return chunk.kinds[index];
        }

        /** The line parsed the reference way ({@link LedgerEntry#fromJson}). */
        LedgerEntry entry() {
            if (chunk.kinds[index] == OTHER && chunk.others[index] instanceof LedgerEntry entry) {
                return entry;
            }
            // Only a checked line gets here (when it does not follow on): its bytes are valid UTF-8.
            String text = new String(chunk.bytes, chunk.starts[index], chunk.stops[index] - chunk.starts[index],
                    StandardCharsets.UTF_8);
            Object parsed = reference(text);
            if (parsed instanceof Failure failure) {
                throw failure.error(reader.source, number);
            }
            return (LedgerEntry) parsed;
        }
    }

    static final int DEFAULT_CHUNK_SIZE = 256 * 1024;
    /** Bytes that reading may run ahead of the sink: a fixed amount, whatever the ledger's length. */
    private static final long READ_AHEAD = 8L * 1024 * 1024;
    private static final int MAX_CHUNKS = 64;
    /** A line's kind, when not its index among the chunk's checked lines. */
    private static final int BLANK = -1;
    private static final int OTHER = -2;

    private final InputStream in;
    private final String source;
    private final int chunkSize;
    private final int workers;
    /**
     * How many chunks there are: how far reading runs ahead of the sink. Enough for the workers to
     * check the first lines, slow until the JIT has compiled them, while the caller reads checkpoints.
     */
    private final int chunks;
    private final BlockingQueue<Chunk> free;
    private final BlockingQueue<Future<Chunk>> inOrder = new LinkedBlockingQueue<>();
    private ExecutorService pool;
    private Thread reader;
    private volatile boolean stopped;
    /** Bytes of the lines handed to the sink so far (what progress shows), not of what was read ahead. */
    private long bytesDone;

    ExportReader(InputStream in, String source) {
        this(in, source, DEFAULT_CHUNK_SIZE, Runtime.getRuntime().availableProcessors());
    }

    /** @param chunkSize how many bytes to read at a time; tests make it small to cut lines across chunks */
    ExportReader(InputStream in, String source, int chunkSize, int workers) {
        this.in = in;
        this.source = source;
        this.chunkSize = chunkSize;
        this.workers = Math.max(1, workers);
        this.chunks = (int) Math.min(MAX_CHUNKS, Math.max(this.workers * 2 + 2, READ_AHEAD / chunkSize));
        this.free = new ArrayBlockingQueue<>(chunks);
    }

    long bytesRead() {
        return bytesDone;
    }

    /**
     * Starts reading and checking lines, before there is a sink to feed: the caller can do other
     * work meanwhile (read the checkpoints). Reading runs ahead only as far as the chunks allow.
     */
    void start() {
        if (reader != null) {
            return;
        }
        ThreadLocal<Worker> perThread = ThreadLocal.withInitial(Worker::new);
        pool = Executors.newFixedThreadPool(workers, task -> daemon(task, "verify-ledger-worker"));
        ExecutorService workersPool = pool;
        reader = daemon(() -> readChunks(workersPool, perThread), "verify-ledger-reader");
        reader.start();
    }

    /** Feeds every entry to the sink, then stops; the caller closes the stream. */
    void read(Sink sink) {
        start();
        try {
            Line line = new Line(this);
            long lineNumber = 0;
            while (true) {
                Chunk chunk = next(inOrder);
                if (chunk.failure != null) {
                    throw readFailure(chunk.failure, lineNumber);
                }
                line.chunk = chunk;
                int[] kinds = chunk.kinds;
                for (int i = 0; i < chunk.count; i++) {
                    lineNumber++;
                    int kind = kinds[i];
                    if (kind == BLANK) {
                        continue;
                    }
                    if (kind == OTHER && chunk.others[i] instanceof Failure failure) {
                        throw failure.error(source, lineNumber);
                    }
                    bytesDone = chunk.offset + chunk.nexts[i];
                    line.index = i;
                    line.number = lineNumber;
                    if (!sink.accept(line)) {
                        return;
                    }
                }
                bytesDone = chunk.offset + chunk.length;
                if (chunk.last) {
                    return;
                }
                chunk.recycle(chunkSize);
                free.add(chunk);
            }
        } finally {
            close();
        }
    }

    /** Stops reading and checking (they also stop when {@link #read} returns); the stream stays open. */
    @Override
    public void close() {
        if (reader == null || stopped) {
            return;
        }
        stopped = true;
        pool.shutdownNow();
        reader.interrupt();
        try {
            // The caller closes the stream next: let the reader leave it first (a file read ends at once).
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Chunk next(BlockingQueue<Future<Chunk>> inOrder) {
        try {
            return inOrder.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputError("interrupted while verifying", e);
        } catch (ExecutionException e) {
            // A bug rather than bad input (the workers record bad lines as results): rethrow it as it was.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private RuntimeException readFailure(Throwable failure, long lineNumber) {
        if (failure instanceof IOException e) {
            return new InputError("cannot read " + source + " (after line " + lineNumber + "): "
                    + InputFiles.describe(e), e);
        }
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(failure);
    }

    // ---- the reader thread ----

    /**
     * Cuts the stream into chunks that end at a line end (LF, or a CR whose next byte is known)
     * and queues each for a worker, in order; the last chunk holds whatever follows the last line end.
     */
    private void readChunks(ExecutorService pool, ThreadLocal<Worker> perThread) {
        byte[] carry = new byte[0];
        int carried = 0;
        int made = 0;
        long offset = 0;
        boolean first = true;
        try {
            while (!stopped) {
                // Chunks are made as needed, up to their number; then one must come back to be reused.
                Chunk chunk = free.poll();
                if (chunk == null && made < chunks) {
                    chunk = new Chunk(chunkSize);
                    made++;
                } else if (chunk == null) {
                    chunk = free.take();
                }
                byte[] buffer = chunk.bytes;
                if (buffer.length < carried + chunkSize / 2) {
                    buffer = new byte[Math.max(chunkSize, carried * 2)];
                }
                System.arraycopy(carry, 0, buffer, 0, carried);
                int length = carried;
                boolean eof = false;
                int cut;
                while (true) {
                    while (length < buffer.length) {
                        int n = in.read(buffer, length, buffer.length - length);
                        if (n < 0) {
                            eof = true;
                            break;
                        }
                        length += n;
                    }
                    cut = eof ? length : lastLineEnd(buffer, length);
                    if (cut > 0 || eof) {
                        break;
                    }
                    // No line end in a full buffer: one line longer than it; read on into a bigger one.
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                carried = length - cut;
                if (carry.length < carried) {
                    carry = new byte[Math.max(carried, chunkSize)];
                }
                System.arraycopy(buffer, cut, carry, 0, carried);
                chunk.fill(buffer, cut, offset, first, eof);
                first = false;
                offset += cut;
                Chunk filled = chunk;
                inOrder.add(pool.submit(() -> {
                    perThread.get().check(filled);
                    return filled;
                }));
                if (eof) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Stopped: the calling thread no longer reads the queue.
        } catch (Throwable e) {
            if (!stopped) {
                inOrder.add(CompletableFuture.completedFuture(new Chunk(e)));
            }
        }
    }

    /** Where the chunk can end: after the last LF, or the last CR that is not the final byte (a LF may follow). */
    private static int lastLineEnd(byte[] buffer, int length) {
        for (int i = length - 1; i >= 0; i--) {
            byte c = buffer[i];
            if (c == '\n' || c == '\r' && i < length - 1) {
                return i + 1;
            }
        }
        return 0;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        // Never keeps the JVM alive, e.g. when an exception leaves the verifier early.
        thread.setDaemon(true);
        return thread;
    }

    // ---- chunks and the workers ----

    /** Whole lines of the export, and what became of each once a worker has checked them. */
    private static final class Chunk {
        byte[] bytes;
        int length;
        long offset;
        boolean first;
        boolean last;
        final Throwable failure;
        int count;
        /** Per line: where its text starts (after a byte-order mark) and stops, and where the next line starts. */
        int[] starts;
        int[] stops;
        int[] nexts;
        /** Per line: its index in {@link #lines}, BLANK, or OTHER (then {@link #others} holds a LedgerEntry or a Failure). */
        int[] kinds;
        Object[] others;
        final CheckedLines lines;

        Chunk(int size) {
            bytes = new byte[size];
            int perLine = Math.max(16, size / 400);
            starts = new int[perLine];
            stops = new int[perLine];
            nexts = new int[perLine];
            kinds = new int[perLine];
            others = new Object[perLine];
            lines = new CheckedLines(perLine);
            failure = null;
        }

        /** The stream failed: nothing after the chunks before can be read. */
        Chunk(Throwable failure) {
            this.last = true;
            this.failure = failure;
            this.lines = null;
        }

        void fill(byte[] bytes, int length, long offset, boolean first, boolean last) {
            this.bytes = bytes;
            this.length = length;
            this.offset = offset;
            this.first = first;
            this.last = last;
        }

        /** Makes room for one more line. */
        void grow() {
            int n = starts.length * 2;
            starts = Arrays.copyOf(starts, n);
            stops = Arrays.copyOf(stops, n);
            nexts = Arrays.copyOf(nexts, n);
            kinds = Arrays.copyOf(kinds, n);
            others = Arrays.copyOf(others, n);
        }

        /** Ready for reuse; a buffer grown for a very long line is not kept. */
        void recycle(int size) {
            Arrays.fill(others, 0, count, null);
            lines.clear();
            count = 0;
            if (bytes.length > size) {
                bytes = new byte[size];
            }
        }
    }

    /** A line that cannot be read as an entry; it becomes an InputError when its turn comes. */
    private record Failure(Kind kind, Exception cause) {
        enum Kind { NOT_UTF8, MALFORMED_JSON, NOT_AN_ENTRY, UNEXPECTED }

        RuntimeException error(String source, long lineNumber) {
            return switch (kind) {
                case NOT_UTF8 -> new InputError(source + " is not valid UTF-8 (near line " + lineNumber + ")", cause);
                case MALFORMED_JSON -> new InputError(source + " line " + lineNumber + ": malformed JSON: "
                        + ((JsonProcessingException) cause).getOriginalMessage(), cause);
                case NOT_AN_ENTRY -> new InputError(source + " line " + lineNumber + " is not a ledger entry: "
                        + cause.getMessage(), cause);
                // Anything else failed while reading the line, and is thrown as it would have been without the workers.
                case UNEXPECTED -> (RuntimeException) cause;
            };
        }
    }

    /** What the sequential reader did with a line: Jackson's tree, then LedgerEntry.fromJson. */
    private static Object reference(String line) {
        JsonNode json;
        try {
            json = JsonInput.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return new Failure(Failure.Kind.MALFORMED_JSON, e);
        }
        try {
            return LedgerEntry.fromJson(json);
        } catch (IllegalArgumentException e) {
            return new Failure(Failure.Kind.NOT_AN_ENTRY, e);
        }
    }

    /** One per worker thread: a line checker and a strict UTF-8 decoder, reused for every line. */
    private static final class Worker {
        private final ExportLineChecker checker = new ExportLineChecker();
        // A strict decoder: silently replacing bad bytes would change the content being hashed.
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        void check(Chunk chunk) {
            byte[] b = chunk.bytes;
            int length = chunk.length;
            CheckedLines lines = chunk.lines;
            int count = 0;
            int p = 0;
            while (p < length) {
                if (count == chunk.starts.length) {
                    chunk.grow();
                }
                int start = p;
                int q;
                // The usual line is checked while its end is found (line 1 may start with a byte-order mark).
                boolean firstLine = chunk.first && count == 0;
                int checked = firstLine ? -1 : checker.checkLineAt(b, p, length, lines);
                if (checked >= 0) {
                    q = checker.lineEnd();
                    chunk.kinds[count] = checked;
                } else {
                    // Find the line end, noting whether the line is all ASCII on the way.
                    q = p;
                    int high = 0;
                    while (q < length) {
                        byte c = b[q];
                        if (c == '\n' || c == '\r') {
                            break;
                        }
                        high |= c;
                        q++;
                    }
                    start = firstLine ? afterByteOrderMark(b, p, q) : p;
                    // The checker has had its say on any other line: it takes no line it turned down.
                    line(chunk, count, p, start, q, high < 0, firstLine);
                }
                chunk.starts[count] = start;
                chunk.stops[count] = q;
                chunk.nexts[count] = q == length ? q : b[q] == '\r' && q + 1 < length && b[q + 1] == '\n' ? q + 2 : q + 1;
                count++;
                p = chunk.nexts[count - 1];
            }
            chunk.count = count;
        }

        /**
         * A line the checker did not take in one pass: sets its kind (and what it is).
         *
         * @param from       where the line starts; {@code start} is after any byte-order mark
         * @param tryChecker whether to offer it to the checker (line 1, which may start with a byte-order mark)
         */
        private void line(Chunk chunk, int index, int from, int start, int stop, boolean nonAscii, boolean tryChecker) {
            byte[] b = chunk.bytes;
            String text = null;
            try {
                if (nonAscii) {
                    // The whole line is decoded first, as the reader decoded the stream before looking at lines.
                    text = utf8.decode(ByteBuffer.wrap(b, from, stop - from)).toString();
                    if (start > from) {
                        text = text.substring(1);
                    }
                    if (text.isBlank()) {
                        chunk.kinds[index] = BLANK;
                        return;
                    }
                } else if (asciiBlank(b, start, stop)) {
                    chunk.kinds[index] = BLANK;
                    return;
                }
                int checked = tryChecker ? checker.check(b, start, stop, chunk.lines) : -1;
                if (checked >= 0) {
                    chunk.kinds[index] = checked;
                    return;
                }
                chunk.kinds[index] = OTHER;
                chunk.others[index] = reference(text != null ? text
                        : new String(b, start, stop - start, StandardCharsets.ISO_8859_1));
            } catch (CharacterCodingException e) {
                chunk.kinds[index] = OTHER;
                chunk.others[index] = new Failure(Failure.Kind.NOT_UTF8, e);
            } catch (RuntimeException e) {
                // Thrown when the line's turn comes, where the sequential reader would have thrown it.
                chunk.kinds[index] = OTHER;
                chunk.others[index] = new Failure(Failure.Kind.UNEXPECTED, e);
            }
        }

        private static int afterByteOrderMark(byte[] b, int from, int to) {
            return to - from >= 3 && b[from] == (byte) 0xEF && b[from + 1] == (byte) 0xBB && b[from + 2] == (byte) 0xBF
                    ? from + 3 : from;
        }

        /** String.isBlank for an ASCII line: only Character.isWhitespace characters. */
        private static boolean asciiBlank(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (!(c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1C && c <= 0x1F)) {
                    return false;
                }
            }
            return true;
        }
    }
}
