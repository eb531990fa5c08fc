package io.retryspool.internal.processing;

/**
 * Makes text that comes from outside (exception messages) safe to store as {@code lastError}: NUL characters
 * (which PostgreSQL text cannot hold) and unpaired surrogates (which no UTF-8 encoder can write) become U+FFFD,
 * and the text is cut to a maximum length without splitting a surrogate pair.
 */
final class ErrorTexts {

    /** The longest text stored as an error. */
    static final int MAX_LENGTH = 2000;

    private static final char REPLACEMENT = '\uFFFD';
    private static final String ELLIPSIS = "...";

    private ErrorTexts() {
    }

    /** The text cleaned and cut to {@link #MAX_LENGTH} characters. */
    static String clean(String text) {
        return clean(text, MAX_LENGTH);
    }

    /** The text cleaned and cut to {@code maxLength} characters (at least 4); a cut text ends with "...". */
    static String clean(String text, int maxLength) {
        StringBuilder cleaned = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1));
                if (!bad) {
                    if (cleaned != null) {
                        cleaned.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = c == '\0' || Character.isLowSurrogate(c);
            }
            if (bad && cleaned == null) {
                cleaned = new StringBuilder(length).append(text, 0, i);
            }
            if (cleaned != null) {
                cleaned.append(bad ? REPLACEMENT : c);
            }
        }
        return cut(cleaned == null ? text : cleaned.toString(), maxLength);
    }

    private static String cut(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        int end = maxLength - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
