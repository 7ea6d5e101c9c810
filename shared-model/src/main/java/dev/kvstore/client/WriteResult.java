package dev.kvstore.client;

/**
 * An acknowledged {@code PUT}.
 *
 * @param version the version the value was stored at (higher than every earlier write of the key)
 * @param created {@code true} when the key had no value before (201), {@code false} when replaced (200)
 */
public record WriteResult(long version, boolean created) {
}
