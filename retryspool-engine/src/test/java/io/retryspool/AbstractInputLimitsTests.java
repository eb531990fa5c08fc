package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.testing.Concurrently;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.fail;

/**
 * The input limits of DESIGN §2, proven on one store: every request that breaks a limit is an
 * {@link IllegalArgumentException} naming the argument, nothing of it is stored, and the good requests written
 * at the same time (in the same group commit) are stored intact. The fuzz test replays the same seeded requests
 * on the in-memory stores and requires the same rejections and the same stored messages, so that every store
 * behaves alike. Set {@code -Dretryspool.fuzz.seed=N} to replay a failure; the seed is in every assertion message.
 */
public abstract class AbstractInputLimitsTests {

    /** The fixed time of every spool built here. */
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final String KEY_HEADER = "fuzz-key";
    private static final int MAX_HEADERS_BYTES = 64 * 1024;
    private static final int GOOD_THREADS = 4;
    private static final int GOOD_CALLS = 25;
    private static final int BAD_THREADS = 3;
    private static final int BAD_CALLS = 40;
    private static final String[] UNITS = {"a", "b", "z", "Q", "0", "9", "_", ".", "é", "ß", "€", "中", "😀",
            "\u0001", "\n", "\t", "\"", "\\", " ", "/"};

    private final List<RetrySpool> spools = new ArrayList<>();

    /**
     * Points a builder at this test's store, fresh and empty for each test.
     *
     * @param builder the builder
     * @return the builder
     */
    protected abstract RetrySpoolBuilder onStore(RetrySpoolBuilder builder);

    /**
     * Returns the ids of all bodies the store holds, whether or not their metadata exists.
     *
     * @return the ids
     */
    protected abstract Set<String> storedBodyIds();

    @AfterEach
    void closeSpools() {
        spools.forEach(RetrySpool::close);
    }

    private RetrySpool spool() {
        return track(onStore(settings(RetrySpool.builder())).build());
    }

    private RetrySpool referenceSpool() {
        return track(settings(RetrySpool.builder()).metaStore(new InMemoryMetaStore())
                .dataStore(new InMemoryDataStore()).build());
    }

    private RetrySpool track(RetrySpool spool) {
        spools.add(spool);
        return spool;
    }

    private static RetrySpoolBuilder settings(RetrySpoolBuilder builder) {
        return builder.clock(Clock.fixed(NOW, ZoneOffset.UTC)).instanceId("limits").maxAttempts(10)
                .shutdownGrace(Duration.ofSeconds(1));
    }

    // --- the fuzz test ---

    @Test
    void badInputIsRejectedBeforeAnythingIsStoredAndTheGoodInputAroundItIsStoredIntact() throws Exception {
        long seed = Long.getLong("retryspool.fuzz.seed", new Random().nextLong());
        RetrySpool spool = spool();

        Run run = fuzz(spool, seed);

        String seedNote = "seed " + seed + " (replay with -Dretryspool.fuzz.seed=" + seed + ")";
        assertThat(run.rejections()).as(seedNote).hasSize(BAD_THREADS * BAD_CALLS);
        Map<QueueState, Long> expectedCounts = new EnumMap<>(QueueState.class);
        for (QueueState state : QueueState.values()) {
            expectedCounts.put(state, state == QueueState.INCOMING ? (long) run.goods().size() : 0L);
        }
        assertThat(spool.counts()).as(seedNote).isEqualTo(expectedCounts);
        Set<String> ids = new HashSet<>();
        run.goods().values().forEach(good -> ids.add(good.id()));
        assertThat(ids).as(seedNote + ": one new message per good request").hasSize(run.goods().size());
        assertThat(storedBodyIds()).as(seedNote + ": bodies stored (no orphans)").isEqualTo(ids);
        Map<String, Stored> stored = stored(spool, run);
        for (Good good : run.goods().values()) {
            assertThat(stored.get(good.key())).as(seedNote + ": message of " + good.key()).isEqualTo(good.expected());
        }

        RetrySpool reference = referenceSpool();
        Run referenceRun = fuzz(reference, seed);
        assertThat(run.rejections()).as(seedNote + ": the same rejections as on the in-memory stores")
                .isEqualTo(referenceRun.rejections());
        assertThat(stored).as(seedNote + ": the same messages as on the in-memory stores")
                .isEqualTo(stored(reference, referenceRun));
    }

    private Run fuzz(RetrySpool spool, long seed) throws Exception {
        Map<String, Good> goods = new ConcurrentHashMap<>();
        Map<String, String> rejections = new ConcurrentHashMap<>();
        try {
            Concurrently.run(GOOD_THREADS + BAD_THREADS, worker -> {
                Random random = new Random(seed + 1_000_003L * worker);
                if (worker < GOOD_THREADS) {
                    for (int call = 0; call < GOOD_CALLS; call++) {
                        enqueueGood(spool, random, "g" + worker + "-" + call, goods);
                    }
                } else {
                    for (int call = 0; call < BAD_CALLS; call++) {
                        String key = "b" + worker + "-" + call;
                        rejections.put(key, submitBad(spool, random, key, seed));
                    }
                }
            });
        } catch (Exception e) {
            throw new AssertionError("seed " + seed + ": " + e, e);
        }
        return new Run(Map.copyOf(goods), new TreeMap<>(rejections));
    }

    // --- good requests ---

    private static void enqueueGood(RetrySpool spool, Random random, String key, Map<String, Good> goods)
            throws IOException {
        switch (random.nextInt(5)) {
            case 0 -> { // single enqueue with headers only: group commit
                Good good = goodRequest(random, key, false);
                goods.put(key, good.withId(spool.enqueue(good.headers(), good.body())));
            }
            case 1 -> { // single request with every setting: group commit
                Good good = goodRequest(random, key, true);
                goods.put(key, good.withId(spool.enqueue(good.toRequest(false))));
            }
            case 2 -> { // a batch of its own
                List<Good> batch = new ArrayList<>();
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    batch.add(goodRequest(random, key + "-" + i, random.nextBoolean()));
                }
                List<String> ids = spool.enqueueAll(batch.stream().map(good -> good.toRequest(false)).toList());
                for (int i = 0; i < batch.size(); i++) {
                    goods.put(batch.get(i).key(), batch.get(i).withId(ids.get(i)));
                }
            }
            case 3 -> { // a streamed body
                Good good = goodRequest(random, key, true);
                goods.put(key, good.withId(spool.enqueue(good.toRequest(true))));
            }
            default -> { // an enqueue transaction
                Good good = goodRequest(random, key, false);
                try (EnqueueTransaction transaction = spool.beginEnqueue()) {
                    transaction.write(good.body());
                    transaction.setHeaders(good.headers());
                    goods.put(key, good.withId(transaction.commit()));
                }
            }
        }
    }

    private static Good goodRequest(Random random, String key, boolean settings) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(KEY_HEADER, key);
        for (int i = random.nextInt(4); i > 0; i--) {
            headers.put("h" + text(random, random.nextInt(256)), text(random, random.nextInt(300)));
        }
        if (random.nextInt(6) == 0) {
            headers.put(RetrySpool.RETRY_POLICY_HEADER, "p" + text(random, random.nextInt(128)));
        }
        if (random.nextInt(8) == 0) { // fill the headers to exactly 64 KiB
            headers.put("filler", "f".repeat(MAX_HEADERS_BYTES - utf8(headers) - "filler".length()));
        }
        byte[] body = new byte[random.nextInt(6) == 0 ? 0 : random.nextInt(4_096)];
        random.nextBytes(body);
        if (!settings) {
            return new Good(key, null, headers, body, null, null, null, null, null);
        }
        Integer priority = random.nextBoolean() ? random.nextInt(101) : null;
        Integer maxAttempts = random.nextBoolean() ? 1 + random.nextInt(20) : null;
        String policy = random.nextBoolean() ? "p" + text(random, random.nextInt(128)) : null;
        Instant notBefore = switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> Instant.EPOCH;
            case 2 -> NOW.minus(Duration.ofDays(1));
            case 3 -> LATEST;
            default -> NOW.plusSeconds(Math.floorMod(random.nextLong(), Duration.ofDays(2_900_000).toSeconds()))
                    .plusNanos(1_000L * random.nextInt(1_000_000));
        };
        String idempotencyKey = random.nextBoolean() ? null : key + "|" + text(random, random.nextInt(255 - key.length()));
        return new Good(key, null, headers, body, priority, maxAttempts, policy, notBefore, idempotencyKey);
    }

    /** One good request as the test built it, and the id the spool gave it. */
    private record Good(String key, String id, Map<String, String> headers, byte[] body, Integer priority,
                        Integer maxAttempts, String retryPolicy, Instant notBefore, String idempotencyKey) {

        Good withId(String storedId) {
            return new Good(key, storedId, headers, body, priority, maxAttempts, retryPolicy, notBefore, idempotencyKey);
        }

        EnqueueRequest toRequest(boolean streamed) {
            EnqueueRequest.Builder builder = EnqueueRequest.builder().headers(headers).retryPolicy(retryPolicy)
                    .notBefore(notBefore).idempotencyKey(idempotencyKey);
            if (priority != null) {
                builder.priority(priority);
            }
            if (maxAttempts != null) {
                builder.maxAttempts(maxAttempts);
            }
            return (streamed ? builder.body(new ByteArrayInputStream(body)) : builder.body(body)).build();
        }

        /** What the store must give back, times in milliseconds (SQLite keeps milliseconds). */
        Stored expected() {
            String header = headers.get(RetrySpool.RETRY_POLICY_HEADER);
            Instant due = notBefore != null && notBefore.isAfter(NOW) ? notBefore : NOW;
            return new Stored(QueueState.INCOMING, List.copyOf(headers.entrySet()),
                    priority != null ? priority : MessageMetadata.DEFAULT_PRIORITY, maxAttempts != null ? maxAttempts : 10,
                    retryPolicy != null ? retryPolicy : header == null || header.isBlank() ? null : header,
                    due.truncatedTo(ChronoUnit.MILLIS), body.length, Base64.getEncoder().encodeToString(body));
        }
    }

    /** A stored message as read back through the API. */
    private record Stored(QueueState state, List<Map.Entry<String, String>> headers, int priority, int maxAttempts,
                          String retryPolicyName, Instant nextRetry, long size, String body) {
    }

    private record Run(Map<String, Good> goods, Map<String, String> rejections) {
    }

    private static Map<String, Stored> stored(RetrySpool spool, Run run) throws IOException {
        Map<String, Stored> stored = new TreeMap<>();
        for (Good good : run.goods().values()) {
            MessageMetadata metadata = spool.getMessage(good.id()).metadata();
            byte[] body;
            try (MessageBody opened = spool.openBody(good.id())) {
                body = opened.readAllBytes();
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            metadata.headers().forEach((name, value) -> headers.add(Map.entry(name, value)));
            stored.put(good.key(), new Stored(metadata.state(), headers, metadata.priority(), metadata.maxAttempts(),
                    metadata.retryPolicyName(), metadata.nextRetry().truncatedTo(ChronoUnit.MILLIS), metadata.size(),
                    Base64.getEncoder().encodeToString(body)));
        }
        return stored;
    }

    // --- bad requests ---

    /** A setting that breaks one limit, applied to an otherwise good request; headers when it is a header. */
    private record BadSetting(String argument, Map<String, String> headers, UnaryOperator<EnqueueRequest.Builder> apply) {

        static BadSetting of(String argument, UnaryOperator<EnqueueRequest.Builder> apply) {
            return new BadSetting(argument, null, apply);
        }

        static BadSetting ofHeaders(Map<String, String> headers) {
            return new BadSetting("headers", headers, builder -> builder.headers(headers));
        }
    }

    private static BadSetting badSetting(Random random) {
        return switch (random.nextInt(17)) {
            case 0 -> {
                String key = text(random, 256 + random.nextInt(3_000));
                yield BadSetting.of("idempotencyKey", builder -> builder.idempotencyKey(key));
            }
            case 1 -> {
                String key = insert(random, "k" + text(random, random.nextInt(250)), "\0");
                yield BadSetting.of("idempotencyKey", builder -> builder.idempotencyKey(key));
            }
            case 2 -> {
                String key = insert(random, "k" + text(random, random.nextInt(250)), "\uD800");
                yield BadSetting.of("idempotencyKey", builder -> builder.idempotencyKey(key));
            }
            case 3 -> BadSetting.ofHeaders(Map.of("h", insert(random, text(random, random.nextInt(500)), "\0")));
            case 4 -> BadSetting.ofHeaders(Map.of(insert(random, "h" + text(random, random.nextInt(200)), "\0"), "v"));
            case 5 -> BadSetting.ofHeaders(Map.of("", "v"));
            case 6 -> BadSetting.ofHeaders(Map.of(text(random, 257 + random.nextInt(1_000)), "v"));
            case 7 -> BadSetting.ofHeaders(Map.of("big", "v".repeat(MAX_HEADERS_BYTES - 2 + random.nextInt(1_000_000))));
            case 8 -> {
                Map<String, String> many = new LinkedHashMap<>();
                while (utf8(many) <= MAX_HEADERS_BYTES) {
                    many.put("h" + many.size(), text(random, 1 + random.nextInt(8_000)));
                }
                yield BadSetting.ofHeaders(many);
            }
            case 9 -> BadSetting.ofHeaders(Map.of(RetrySpool.RETRY_POLICY_HEADER, "p" + text(random, 128 + random.nextInt(500))));
            case 10 -> {
                String name = "p" + text(random, 128 + random.nextInt(2_000));
                yield BadSetting.of("retryPolicy", builder -> builder.retryPolicy(name));
            }
            case 11 -> {
                String name = insert(random, "p" + text(random, random.nextInt(120)), "\0");
                yield BadSetting.of("retryPolicy", builder -> builder.retryPolicy(name));
            }
            default -> {
                Instant notBefore = switch (random.nextInt(6)) {
                    case 0 -> Instant.MAX;
                    case 1 -> Instant.MIN;
                    case 2 -> Instant.parse("+300000-01-01T00:00:00Z").plusSeconds(random.nextInt(1_000_000));
                    case 3 -> Instant.EPOCH.minusNanos(1 + Math.floorMod(random.nextLong(), Duration.ofDays(365).toNanos()));
                    case 4 -> LATEST.plusNanos(1 + random.nextInt(1_000));
                    default -> Instant.parse("+10000-01-01T00:00:00Z").plus(Duration.ofDays(random.nextInt(100_000)));
                };
                yield BadSetting.of("notBefore", builder -> builder.notBefore(notBefore));
            }
        };
    }

    /** Submits one bad request in one of the ways a caller can, and returns the rejection's message. */
    private static String submitBad(RetrySpool spool, Random random, String key, long seed) {
        byte[] body = new byte[random.nextInt(2_048)];
        random.nextBytes(body);
        BadSetting bad = badSetting(random);
        Consumer<RetrySpool> submit;
        int way = random.nextInt(bad.headers() != null ? 6 : 2);
        switch (way) {
            case 0 -> submit = s -> s.enqueue(bad.apply().apply(EnqueueRequest.builder().header(KEY_HEADER, key))
                    .body(body).build());
            case 1 -> {
                List<Good> others = new ArrayList<>();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    others.add(goodRequest(random, key + "-" + i, random.nextBoolean()));
                }
                int position = random.nextInt(others.size() + 1);
                submit = s -> {
                    List<EnqueueRequest> batch = new ArrayList<>();
                    others.forEach(good -> batch.add(good.toRequest(false)));
                    batch.add(position, bad.apply().apply(EnqueueRequest.builder().header(KEY_HEADER, key))
                            .body(body).build());
                    s.enqueueAll(batch);
                };
            }
            case 2 -> submit = s -> s.enqueue(withKey(key, bad.headers()), body);
            case 3 -> submit = s -> s.enqueue(withKey(key, bad.headers()), new ByteArrayInputStream(body));
            case 4 -> submit = s -> inTransaction(s, body, transaction -> {
                transaction.setHeader(KEY_HEADER, key);
                bad.headers().forEach(transaction::setHeader);
            });
            default -> submit = s -> inTransaction(s, body, transaction -> transaction.setHeaders(withKey(key, bad.headers())));
        }
        try {
            submit.accept(spool);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("seed %d, %s (way %d)", seed, key, way)
                    .startsWith(bad.argument() + ": ").hasSizeLessThan(400).doesNotContain("\0");
            return e.getMessage();
        }
        return fail("seed %d: bad request %s (way %d) was accepted; it should break the limit on %s",
                seed, key, way, bad.argument());
    }

    private static void inTransaction(RetrySpool spool, byte[] body, Consumer<EnqueueTransaction> headers) {
        try (EnqueueTransaction transaction = spool.beginEnqueue()) {
            transaction.write(body);
            headers.accept(transaction);
            transaction.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> withKey(String key, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(KEY_HEADER, key);
        all.putAll(headers);
        return all;
    }

    // --- the limits exactly, read back from the store ---

    @Test
    void valuesExactlyAtEveryLimitAreStoredAndReadBackUnchanged() throws IOException {
        RetrySpool spool = spool();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("€".repeat(256), "a");
        headers.put(RetrySpool.RETRY_POLICY_HEADER, "x".repeat(128));
        headers.put("h", "é".repeat(30_000));
        headers.put("z", "z".repeat(MAX_HEADERS_BYTES - utf8(headers) - 1));
        assertThat(utf8(headers)).isEqualTo(MAX_HEADERS_BYTES);
        String key = "😀".repeat(127) + "k";
        EnqueueRequest request = EnqueueRequest.builder().headers(headers).body(bytes("at the limits"))
                .idempotencyKey(key).retryPolicy("p".repeat(128)).notBefore(LATEST).build();

        String id = spool.enqueue(request);

        MessageMetadata metadata = spool.getMessage(id).metadata();
        assertThat(metadata.headers()).containsExactlyEntriesOf(headers);
        assertThat(metadata.retryPolicyName()).isEqualTo("p".repeat(128));
        assertThat(metadata.nextRetry().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(LATEST.truncatedTo(ChronoUnit.MILLIS));
        assertThat(spool.enqueue(request)).as("the 255-character key finds the message").isEqualTo(id);
        try (MessageBody body = spool.openBody(id)) {
            assertThat(body.readAllBytes()).isEqualTo(bytes("at the limits"));
        }
        assertThat(spool.count(QueueState.INCOMING)).isEqualTo(1);
    }

    @Test
    void notBeforeOf1970IsStoredAsDueNow() {
        RetrySpool spool = spool();

        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("x")).notBefore(Instant.EPOCH).build());

        assertThat(spool.getMessage(id).metadata().nextRetry()).isEqualTo(NOW);
    }

    // --- the other ways input enters ---

    @Test
    void anEnqueueTransactionRejectsABadHeaderAndCommitsWithoutIt() throws IOException {
        RetrySpool spool = spool();
        String id;
        try (EnqueueTransaction transaction = spool.beginEnqueue()) {
            transaction.write(bytes("body"));
            transaction.setHeader("a", "1");
            assertThatIllegalArgumentException().isThrownBy(() -> transaction.setHeader("b", "\0"))
                    .withMessageStartingWith("headers: the value of header 'b' must not contain NUL");
            assertThatIllegalArgumentException().isThrownBy(() -> transaction.setHeader("c", "v".repeat(MAX_HEADERS_BYTES)))
                    .withMessageStartingWith("headers: must have at most 65536 bytes together");
            id = transaction.commit();
        }

        assertThat(spool.getMessage(id).metadata().headers()).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void setRetryPolicyRejectsANameOver128CharactersAndKeepsTheMessageAsItWas() {
        RetrySpool spool = spool();
        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("x")).retryPolicy("fast").build());

        assertThatIllegalArgumentException().isThrownBy(() -> spool.setRetryPolicy(id, "p".repeat(129)))
                .withMessage("policyName: must have at most 128 characters, was 129 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> spool.setRetryPolicy(id, "p\0"))
                .withMessageStartingWith("policyName: must not contain NUL");
        spool.setRetryPolicy(id, "p".repeat(128));

        assertThat(spool.getMessage(id).metadata().retryPolicyName()).isEqualTo("p".repeat(128));
    }

    @Test
    void updateMetadataRejectsAChangeBreakingALimitAndStoresNothingOfIt() {
        RetrySpool spool = spool();
        String id = spool.enqueue(Map.of("a", "1"), bytes("x"));
        MessageMetadata before = spool.getMessage(id).metadata();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> spool.updateMetadata(id, m -> m.withPriority(9).withHeader("b", "\0")))
                .withMessageStartingWith("change: headers: the value of header 'b' must not contain NUL");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> spool.updateMetadata(id, m -> m.withHeader("big", "v".repeat(MAX_HEADERS_BYTES))))
                .withMessageStartingWith("change: headers: must have at most 65536 bytes together");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> spool.updateMetadata(id, m -> m.withNextRetry(Instant.MAX)))
                .withMessageStartingWith("change: nextRetry: must be between");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> spool.updateMetadata(id, m -> m.withRetryPolicyName("p".repeat(129))))
                .withMessageStartingWith("change: retryPolicyName: must have at most 128 characters");

        assertThat(spool.getMessage(id).metadata()).isEqualTo(before);
    }

    @Test
    void aHandlerSettingAHeaderBeyondTheLimitFailsItsAttemptWithoutStoringTheHeader() {
        RetrySpool spool = spool();
        String id = spool.enqueue(Map.of("a", "1"), bytes("x"));

        spool.process(id, new io.retryspool.handler.MessageHandler() {
            @Override
            public void handle(io.retryspool.handler.MessageContext context, Message message, MessageBody body) {
                context.setHeader("ok", "1");
                context.setHeader("bad", "\0");
            }
        });

        MessageMetadata metadata = spool.getMessage(id).metadata();
        assertThat(metadata.state()).isEqualTo(QueueState.DEFERRED);
        assertThat(metadata.headers()).containsEntry("ok", "1").doesNotContainKey("bad");
        assertThat(metadata.lastError()).startsWith(IllegalArgumentException.class.getName())
                .contains("must not contain NUL");
    }

    /**
     * Returns the UTF-8 bytes of all names and values together.
     *
     * @param headers the headers
     * @return their size as the limit counts it
     */
    protected static int utf8(Map<String, String> headers) {
        int bytes = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            bytes += header.getKey().getBytes(StandardCharsets.UTF_8).length
                    + header.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Random text of exactly that many chars, with multi-byte characters, pairs of surrogates and controls. */
    private static String text(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            String unit = UNITS[random.nextInt(UNITS.length)];
            text.append(text.length() + unit.length() <= length ? unit : "a");
        }
        return text.toString();
    }

    private static String insert(Random random, String text, String inserted) {
        int at = random.nextInt(text.length() + 1);
        if (at > 0 && Character.isHighSurrogate(text.charAt(at - 1))) {
            at--;
        }
        return text.substring(0, at) + inserted + text.substring(at);
    }
}
