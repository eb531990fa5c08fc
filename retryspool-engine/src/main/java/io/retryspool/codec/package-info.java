/**
 * Body codecs: streaming transformations (compression, encryption) applied around any data store.
 */
package io.retryspool.codec;
