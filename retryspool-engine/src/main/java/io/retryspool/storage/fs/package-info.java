/**
 * A file-system implementation of the body store: {@link io.retryspool.storage.fs.FileSystemDataStore} keeps
 * one file per message body under a root directory, sharded by the id's first characters, and makes every
 * body durable (written to a temporary file, synced, atomically renamed into place) before it becomes
 * visible, so a crash leaves either the whole body or none of it.
 */
@NullMarked
package io.retryspool.storage.fs;

import org.jspecify.annotations.NullMarked;
