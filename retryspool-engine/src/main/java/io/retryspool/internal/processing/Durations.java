package io.retryspool.internal.processing;

import java.time.Duration;

/** Durations as people write them: {@code 5m}, {@code 30s}, {@code 1h30m}, {@code 250ms}. */
final class Durations {

    private Durations() {
    }

    static String describe(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long days = duration.toDaysPart();
        if (days > 0) {
            text.append(days).append('d');
        }
        append(text, duration.toHoursPart(), "h");
        append(text, duration.toMinutesPart(), "m");
        int seconds = duration.toSecondsPart();
        int millis = duration.toMillisPart();
        if (millis > 0) {
            text.append(seconds).append('.').append(String.format("%03d", millis)).append('s');
        } else {
            append(text, seconds, "s");
        }
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}
