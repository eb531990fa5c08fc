/**
 * Processing of one claimed message: handler selection, running the handler, and the rules that turn its
 * result into the outcome stored for the message. Not API.
 */
package io.retryspool.internal.processing;
