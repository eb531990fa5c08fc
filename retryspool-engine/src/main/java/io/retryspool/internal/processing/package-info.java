/**
 * Processing of one claimed message: handler selection, running the handler, and the rules that turn its
 * result into the outcome stored for the message. Not API.
 */
@NullMarked
package io.retryspool.internal.processing;

import org.jspecify.annotations.NullMarked;
