package dev.kvstore.model;

/**
 * The outcome of a range operation on a node.
 *
 * @param keys how many keys it installed (copy), moved (move), deleted (drop) or found (count)
 */
public record RangeResult(long keys) {
}
