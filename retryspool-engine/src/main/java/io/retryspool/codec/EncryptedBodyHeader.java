package io.retryspool.codec;

/**
 * What the clear-text header of a body written by {@link EncryptionCodec} says, as read by
 * {@link EncryptionCodec#readHeader(java.io.InputStream)}: enough to tell which key and cipher a stored body
 * needs, for example before a retired key is removed from the ring.
 *
 * @param formatVersion the version of the encrypted body format (currently 2)
 * @param algorithm the cipher the body was encrypted with
 * @param keyId the id of the key the body was encrypted with
 * @param segmentSize the plain bytes per encrypted segment
 */
public record EncryptedBodyHeader(int formatVersion, EncryptionAlgorithm algorithm, String keyId, int segmentSize) {
}
