/**
 * Body codecs: streaming transformations applied around any data store by {@link io.retryspool.codec.CodecDataStore}.
 * Compression with {@link io.retryspool.codec.GzipCodec} or {@link io.retryspool.codec.ZstdCodec}, authenticated
 * encryption with {@link io.retryspool.codec.EncryptionCodec} (AES-256-GCM or ChaCha20-Poly1305 over a rotatable
 * {@link io.retryspool.codec.EncryptionKeys} ring); {@link io.retryspool.codec.Compression} and
 * {@link io.retryspool.codec.DataCodecs} build them from configuration choices, compressing before encrypting.
 */
@NullMarked
package io.retryspool.codec;

import org.jspecify.annotations.NullMarked;
