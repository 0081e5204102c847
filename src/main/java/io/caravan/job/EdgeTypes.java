package io.caravan.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The edge types registered through {@link ServiceLoader}, by name. */
public final class EdgeTypes {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeTypes.class);
    private static volatile Map<String, EdgeType> registered;

    private EdgeTypes() {
    }

    /** The type named in {@code <side>.type}; an unknown name's error lists the registered ones. */
    static EdgeType named(String side, String name) {
        EdgeType type = all().get(name);
        if (type == null) {
            throw new ConfigException(side + ".type '" + name + "' is not one of the registered types: "
                    + String.join(", ", all().keySet()));
        }
        return type;
    }

    static Map<String, EdgeType> all() {
        Map<String, EdgeType> types = registered;
        if (types == null) {
            types = load(EdgeTypes.class.getClassLoader());
            registered = types;
        }
        return types;
    }

    /**
     * Every provider that can be loaded: one whose class is gone (a pack taken out, its line left in a services
     * file) is skipped with a warning instead of taking the others down.
     */
    static Map<String, EdgeType> load(ClassLoader loader) {
        Map<String, EdgeType> types = new TreeMap<>();
        var providers = ServiceLoader.load(EdgeType.class, loader).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return Collections.unmodifiableMap(types);
                }
                EdgeType type = providers.next();
                for (String name : type.names()) {
                    EdgeType clash = types.putIfAbsent(name, type);
                    if (clash != null) {
                        throw new IllegalStateException("edge type '" + name + "' is registered by both "
                                + clash.getClass().getName() + " and " + type.getClass().getName());
                    }
                }
            } catch (ServiceConfigurationError e) {
                LOG.warn("an edge type could not be loaded and is left out: {}", e.getMessage());
            }
        }
    }
}
