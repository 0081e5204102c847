package io.caravan.seafile;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.s3.S3Clients;
import io.caravan.source.FolderSource;
import io.caravan.source.ItemSource;
import io.caravan.source.S3Source;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every object of a Seafile storage, blocks first, then fs objects, then commits, each from its type's backend.
 * Items are keyed {@code <type>/<repo>/<id>} whatever the backend; a file or object that is not at a Seafile
 * object path is listed as unusable, so it lands in the rejects file with its path. Each body is checked against
 * its id while it streams ({@link ObjectCheck}).
 */
public final class SeafileSource implements ItemSource {

    private static final Item.Attributes BINARY = new Item.Attributes("application/octet-stream", Map.of());

    private final Map<ObjectType, Backend> backends;
    private final Map<ObjectType, ItemSource> stores = new EnumMap<>(ObjectType.class);

    public SeafileSource(Map<ObjectType, Backend> backends) {
        this.backends = backends;
        backends.forEach((type, backend) -> stores.put(type, backend instanceof Backend.Bucket b
                ? new S3Source(S3Clients.create(b.s3()), b.s3().endpoint(), b.bucket(), "")
                : new FolderSource(((Backend.Folder) backend).folder())));
    }

    @Override
    public void check() {
        stores.values().forEach(ItemSource::check);
    }

    @Override
    public CloseableIterator<Item> list() {
        List<Supplier<CloseableIterator<Item>>> parts = new ArrayList<>();
        for (ObjectType type : ObjectType.values()) {
            Backend backend = backends.get(type);
            parts.add(() -> CloseableIterator.filterMap(stores.get(type).list(), item -> {
                String where = type.folder() + "/" + item.key();
                if (!item.isUsable()) {
                    return Item.unusable(where, item.problem());
                }
                return backend.objectAt(type, item.key())
                        .map(key -> new Item(key.itemKey(), item.fingerprint(), item.size(), item.lastModified(),
                                null, null))
                        .orElseGet(() -> Item.unusable(where, "not a Seafile object: expected " + backend.layout()
                                + " in the " + type.folder() + " store"));
            }));
        }
        return CloseableIterator.concat(parts);
    }

    @Override
    public Content open(Item item) {
        ObjectKey key = ObjectKey.ofItemKey(item.key());
        Content stored = stores.get(key.type()).open(nativeItem(key, item));
        ObjectCheck check = new ObjectCheck(key, stored.body());
        return new Content(check, BINARY, check::verify);
    }

    @Override
    public void checkUnchanged(Item item) {
        ObjectKey key = ObjectKey.ofItemKey(item.key());
        stores.get(key.type()).checkUnchanged(nativeItem(key, item));
    }

    private Item nativeItem(ObjectKey key, Item item) {
        return new Item(backends.get(key.type()).nativeKey(key), item.fingerprint(), item.size(), item.lastModified(),
                null, null);
    }

    /** The plan counts objects and bytes per type. */
    @Override
    public String groupOf(Item item) {
        int slash = item.key().indexOf('/');
        return slash < 0 ? item.key() : item.key().substring(0, slash);
    }

    @Override
    public String describe() {
        return "Seafile storage: " + describeAll(backends);
    }

    @Override
    public String identity() {
        return identityOf(backends);
    }

    /** {@code seafile:} and each object type's backend, in the order of the types. */
    static String identityOf(Map<ObjectType, Backend> backends) {
        List<String> parts = new ArrayList<>();
        for (ObjectType type : ObjectType.values()) {
            parts.add(type.folder() + "=" + backends.get(type).identity());
        }
        return "seafile:" + String.join(",", parts);
    }

    static String describeAll(Map<ObjectType, Backend> backends) {
        List<String> parts = new ArrayList<>();
        backends.forEach((type, backend) -> parts.add(type.folder() + " in " + backend.describe()));
        return String.join(", ", parts);
    }

    @Override
    public void close() {
        stores.values().forEach(ItemSource::close);
    }
}
