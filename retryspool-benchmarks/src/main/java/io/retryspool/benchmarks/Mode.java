package io.retryspool.benchmarks;

import java.util.Locale;

/** How long a benchmark run takes: a quick look (under two minutes) or the full figures. */
public enum Mode {

    /** Smaller counts and shorter durations; the whole run stays under two minutes on two cores. */
    QUICK(Sizes.quick()),

    /** The counts the targets are stated for (100,000 messages, 30 s of latency load, a minute idle). */
    FULL(Sizes.full());

    private final Sizes sizes;

    Mode(Sizes sizes) {
        this.sizes = sizes;
    }

    /**
     * Returns the counts and durations of this mode.
     *
     * @return the sizes
     */
    public Sizes sizes() {
        return sizes;
    }

    /**
     * Returns the mode's name as the CLI spells it.
     *
     * @return {@code quick} or {@code full}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
