package io.caravan.seafile;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.target.ItemTarget;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Seafile storage as a target: each {@code <type>/<repo>/<id>} item goes to its type's backend, at Seafile's
 * path for it there ({@code <repo>/<id[0:2]>/<id[2:]>} in a folder, {@code <repo>/<id>} in a bucket), written and
 * verified by the folder or S3 target.
 */
public final class SeafileTarget implements ItemTarget {

    private final Map<ObjectType, Backend> backends;
    private final Map<ObjectType, ItemTarget> stores = new EnumMap<>(ObjectType.class);

    /** @param open makes the folder or S3 target of one backend, with the job's write settings */
    public SeafileTarget(Map<ObjectType, Backend> backends, Function<Backend, ItemTarget> open) {
        this.backends = backends;
        backends.forEach((type, backend) -> stores.put(type, open.apply(backend)));
    }

    @Override
    public void check() {
        stores.values().forEach(ItemTarget::check);
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        ObjectKey key = ObjectKey.ofItemKey(targetKey);
        return stores.get(key.type()).write(nativeKey(key), expectedSize, body, attributes, beforeCommit);
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        ObjectKey key = ObjectKey.ofItemKey(targetKey);
        return stores.get(key.type()).stat(nativeKey(key)).map(e -> new Entry(targetKey, e.size(), e.md5()));
    }

    /** Every object of every type whose item key starts with the prefix; a stray file keeps its raw path. */
    @Override
    public CloseableIterator<Entry> list(String prefix) {
        List<Supplier<CloseableIterator<Entry>>> parts = new ArrayList<>();
        for (ObjectType type : ObjectType.values()) {
            Backend backend = backends.get(type);
            parts.add(() -> CloseableIterator.filterMap(stores.get(type).list(""), entry -> {
                String key = backend.objectAt(type, entry.key()).map(ObjectKey::itemKey)
                        .orElse(type.folder() + "/" + entry.key());
                return key.startsWith(prefix) ? new Entry(key, entry.size(), entry.md5()) : null;
            }));
        }
        return CloseableIterator.concat(parts);
    }

    @Override
    public InputStream read(String targetKey) {
        ObjectKey key = ObjectKey.ofItemKey(targetKey);
        return stores.get(key.type()).read(nativeKey(key));
    }

    private String nativeKey(ObjectKey key) {
        return backends.get(key.type()).nativeKey(key);
    }

    @Override
    public String describe() {
        return "Seafile storage: " + SeafileSource.describeAll(backends);
    }

    @Override
    public String identity() {
        return SeafileSource.identityOf(backends);
    }

    @Override
    public void close() {
        stores.values().forEach(ItemTarget::close);
    }
}
