package dev.kvstore.node.replica;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per distinct content type. Each write decodes its content type into a new
 * String (56 bytes of heap for {@code text/plain}), while a store holds only a handful of distinct
 * ones; sharing them saves that much per key (56 MB for a million keys).
 *
 * <p>Bounded: when more than {@code limit} distinct types have been seen, it forgets them all and
 * starts again, so clients sending ever new types neither make it grow nor keep the common ones from
 * being shared for long. Values already stored keep the instance they got.
 */
final class ContentTypes {

    /** The one {@link StoredValue} uses. */
    static final ContentTypes SHARED = new ContentTypes(256);

    private final int limit;
    private final ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();

    ContentTypes(int limit) {
        this.limit = limit;
    }

    /** The shared instance equal to {@code contentType} (this one if it is new); null stays null. */
    String share(String contentType) {
        if (contentType == null) {
            return null;
        }
        String known = seen.get(contentType);
        if (known != null) {
            return known;
        }
        if (seen.size() >= limit) {
            seen.clear();
        }
        known = seen.putIfAbsent(contentType, contentType);
        return known != null ? known : contentType;
    }
}
