package io.retryspool.internal.processing;

/** What a running attempt asks of the worker that runs it. */
public interface AttemptControl {

    /** An attempt that is never stopped and never times out (an operator's {@code process}). */
    AttemptControl UNLIMITED = new AttemptControl() {
        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public boolean finish() {
            return true;
        }
    };

    /**
     * Tells whether the spool is stopping: an interrupted handler's claim is then given back without spending the
     * attempt.
     *
     * @return true while stopping
     */
    boolean stopping();

    /**
     * Called once the handler has returned, before its outcome is stored: takes the right to store it.
     *
     * @return false if the attempt was settled meanwhile (it timed out), in which case its outcome is discarded
     */
    boolean finish();
}
