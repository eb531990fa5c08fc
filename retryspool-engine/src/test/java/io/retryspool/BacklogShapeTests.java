package io.retryspool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BacklogShapeTests {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void bucketsAreTheDocumentedUpperBoundsEachTwiceTheOneBeforeAndAnUnboundedLast() {
        assertThat(BacklogShape.UPPER_BOUNDS).extracting(Duration::toMinutes)
                .containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 640L, 1280L);
        assertThat(BacklogShape.BUCKETS).isEqualTo(10);
        assertThat(BacklogShape.BUCKET_LABELS)
                .containsExactly("5m", "10m", "20m", "40m", "80m", "160m", "320m", "640m", "1280m", "+Inf");
    }

    @Test
    void theShapeCoversTheQueueButNotTheArchive() {
        assertThat(BacklogShape.STATES).containsExactly(QueueState.INCOMING, QueueState.ACTIVE, QueueState.DEFERRED,
                QueueState.HOLD, QueueState.BOUNCE);
    }

    @Test
    void anAgeEqualToABucketsUpperBoundIsInThatBucketAndOneMillisecondMoreIsInTheNext() {
        assertThat(BacklogShape.bucketOf(Duration.ZERO)).isZero();
        assertThat(BacklogShape.bucketOf(Duration.ofMinutes(5))).isZero();
        assertThat(BacklogShape.bucketOf(Duration.ofMinutes(5).plusMillis(1))).isEqualTo(1);
        assertThat(BacklogShape.bucketOf(Duration.ofMinutes(10))).isEqualTo(1);
        assertThat(BacklogShape.bucketOf(Duration.ofMinutes(1280))).isEqualTo(8);
        assertThat(BacklogShape.bucketOf(Duration.ofMinutes(1280).plusNanos(1))).isEqualTo(9);
        assertThat(BacklogShape.bucketOf(Duration.ofDays(365))).isEqualTo(9);
    }

    @Test
    void aNegativeAgeCountsAsZero() {
        assertThat(BacklogShape.bucketOf(Duration.ofMinutes(-30))).isZero();
    }

    @Test
    void countsAddUpPerStateAndBucketAndTotalsSumABucketRow() {
        BacklogShape shape = BacklogShape.builder(NOW)
                .add(QueueState.DEFERRED, 0, 2)
                .add(QueueState.DEFERRED, 0, 1)
                .add(QueueState.DEFERRED, 9, 4)
                .add(QueueState.HOLD, 3, 7)
                .build();

        assertThat(shape.takenAt()).isEqualTo(NOW);
        assertThat(shape.count(QueueState.DEFERRED, 0)).isEqualTo(3);
        assertThat(shape.count(QueueState.DEFERRED, 9)).isEqualTo(4);
        assertThat(shape.total(QueueState.DEFERRED)).isEqualTo(7);
        assertThat(shape.counts(QueueState.HOLD)).containsExactly(0L, 0L, 0L, 7L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(shape.total(QueueState.INCOMING)).isZero();
    }

    @Test
    void aBuiltShapeDoesNotChangeWhenItsBuilderGoesOn() {
        BacklogShape.Builder builder = BacklogShape.builder(NOW).add(QueueState.INCOMING, 1, 1);
        BacklogShape first = builder.build();

        builder.add(QueueState.INCOMING, 1, 1);

        assertThat(first.count(QueueState.INCOMING, 1)).isEqualTo(1);
        assertThat(builder.build().count(QueueState.INCOMING, 1)).isEqualTo(2);
    }

    @Test
    void archivedUnknownBucketsAndNegativeCountsAreRefusedNamingTheArgument() {
        BacklogShape shape = BacklogShape.builder(NOW).build();

        assertThatIllegalArgumentException().isThrownBy(() -> shape.count(QueueState.ARCHIVED, 0))
                .withMessageStartingWith("state:").withMessageContaining("ARCHIVED is not backlog");
        assertThatIllegalArgumentException().isThrownBy(() -> shape.total(null)).withMessageStartingWith("state:");
        assertThatIllegalArgumentException().isThrownBy(() -> shape.count(QueueState.INCOMING, 10))
                .withMessageStartingWith("bucket:");
        assertThatIllegalArgumentException().isThrownBy(() -> shape.count(QueueState.INCOMING, -1))
                .withMessageStartingWith("bucket:");
        assertThatIllegalArgumentException().isThrownBy(() -> BacklogShape.builder(NOW).add(QueueState.ARCHIVED, 0, 1))
                .withMessageStartingWith("state:");
        assertThatIllegalArgumentException().isThrownBy(() -> BacklogShape.builder(NOW).add(QueueState.HOLD, 0, -1))
                .withMessageStartingWith("count:");
        assertThatIllegalArgumentException().isThrownBy(() -> BacklogShape.builder(null))
                .withMessageStartingWith("takenAt:");
        assertThatIllegalArgumentException().isThrownBy(() -> BacklogShape.bucketOf(null))
                .withMessageStartingWith("age:");
    }

    @Test
    void shapesWithTheSameTimeAndCountsAreEqual() {
        BacklogShape one = BacklogShape.builder(NOW).add(QueueState.BOUNCE, 2, 5).build();
        BacklogShape same = BacklogShape.builder(NOW).add(QueueState.BOUNCE, 2, 5).build();
        BacklogShape other = BacklogShape.builder(NOW).add(QueueState.BOUNCE, 3, 5).build();

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
        assertThat(one).isNotEqualTo(BacklogShape.builder(NOW.plusSeconds(1)).add(QueueState.BOUNCE, 2, 5).build());
    }

    @Test
    void toStringIsAQshapeLikeTableWithATotalRowAndATotalColumn() {
        BacklogShape shape = BacklogShape.builder(NOW)
                .add(QueueState.DEFERRED, 0, 12)
                .add(QueueState.DEFERRED, 9, 3)
                .add(QueueState.INCOMING, 0, 1)
                .build();

        List<String> lines = shape.toString().lines().toList();

        assertThat(lines).containsExactly(
                "BacklogShape at 2026-01-01T12:00:00Z",
                "          T 5m 10m 20m 40m 80m 160m 320m 640m 1280m +Inf",
                "TOTAL    16 13   0   0   0   0    0    0    0     0    3",
                "INCOMING  1  1   0   0   0   0    0    0    0     0    0",
                "ACTIVE    0  0   0   0   0   0    0    0    0     0    0",
                "DEFERRED 15 12   0   0   0   0    0    0    0     0    3",
                "HOLD      0  0   0   0   0   0    0    0    0     0    0",
                "BOUNCE    0  0   0   0   0   0    0    0    0     0    0");
    }
}
