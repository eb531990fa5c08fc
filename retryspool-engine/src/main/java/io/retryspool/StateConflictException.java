package io.retryspool;

/**
 * A compare-and-set on a message's state failed: the message was not in the state the caller
 * expected, or the action is not allowed in the state it is in.
 */
public class StateConflictException extends RetrySpoolException {

    private static final long serialVersionUID = 1L;

    private final String messageId;
    private final QueueState actualState;

    /**
     * Creates the exception.
     *
     * @param messageId the message's id
     * @param actualState the state the message is actually in
     * @param message what was attempted
     */
    public StateConflictException(String messageId, QueueState actualState, String message) {
        super(message);
        this.messageId = messageId;
        this.actualState = actualState;
    }

    /**
     * Returns the id of the message.
     *
     * @return the message id
     */
    public String messageId() {
        return messageId;
    }

    /**
     * Returns the state the message was found in.
     *
     * @return the actual state
     */
    public QueueState actualState() {
        return actualState;
    }
}
