package io.caravan.seafile;

import io.caravan.job.ConfigException;
import io.caravan.job.Timeouts;
import io.caravan.s3.S3Settings;
import org.ini4j.Config;
import org.ini4j.Ini;
import org.ini4j.Profile;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The storage backends of one {@code seafile.conf}: for each object type, its section
 * ({@code [commit_object_backend]}, {@code [fs_object_backend]}, {@code [block_backend]}) names {@code fs} or
 * {@code s3}; without a section the type lives in {@code <seafile-data>/storage/<type>}. Backends Caravan cannot
 * read or write (Swift, OSS, Ceph RADOS, encrypted or multi-backend storage) are refused before anything moves.
 */
public final class SeafileConf {

    private SeafileConf() {
    }

    /**
     * @param seafileData the seafile-data folder this configuration goes with (the default location of a type
     *                    without a section, and the base of a relative {@code dir}); may be null if every type has
     *                    a section
     */
    public static Map<ObjectType, Backend> read(Path conf, Path seafileData, int maxConnections) {
        Ini ini = load(conf);
        refuseUnsupportedStorage(ini, conf);
        Map<ObjectType, Backend> backends = new EnumMap<>(ObjectType.class);
        for (ObjectType type : ObjectType.values()) {
            backends.put(type, backend(ini.get(type.section()), type, conf, seafileData, maxConnections));
        }
        return backends;
    }

    private static Backend backend(Profile.Section section, ObjectType type, Path conf, Path seafileData,
                                   int maxConnections) {
        String where = "[" + type.section() + "] of " + conf;
        if (section == null) {
            return new Backend.Folder(storage(seafileData, where).resolve(type.folder()));
        }
        String name = value(section, "name");
        if (name == null) {
            throw new ConfigException(where + " has no 'name' (fs or s3)");
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fs" -> new Backend.Folder(folderOf(section, type, where, seafileData));
            case "s3" -> bucketOf(section, where, maxConnections);
            case "swift", "oss", "ceph", "rados" -> throw new ConfigException(where + " uses the '" + name
                    + "' backend, which Caravan cannot move objects to or from (it handles fs and s3)");
            default -> throw new ConfigException(where + " names an unknown backend '" + name
                    + "' (Caravan handles fs and s3)");
        };
    }

    /** {@code dir} is a seafile-data-like folder: objects are under its {@code storage/<type>}. */
    private static Path folderOf(Profile.Section section, ObjectType type, String where, Path seafileData) {
        String dir = value(section, "dir");
        Path base = dir == null ? storage(seafileData, where).getParent()
                : seafileData == null ? Path.of(dir) : seafileData.resolve(dir);
        return base.resolve("storage").resolve(type.folder());
    }

    private static Backend.Bucket bucketOf(Profile.Section section, String where, int maxConnections) {
        String bucket = required(section, "bucket", where);
        String host = value(section, "host");
        boolean https = flag(section, "use_https", false);
        String endpoint = host == null ? "" : (https ? "https://" : "http://") + host;
        String region = value(section, "aws_region");
        return new Backend.Bucket(bucket, new S3Settings(endpoint, region == null ? "us-east-1" : region,
                required(section, "key_id", where), required(section, "key", where),
                flag(section, "path_style_request", false), maxConnections, false, Timeouts.DEFAULTS));
    }

    private static void refuseUnsupportedStorage(Ini ini, Path conf) {
        Profile.Section crypt = ini.get("store_crypt");
        if (crypt != null) {
            throw new ConfigException(conf + " has a [store_crypt] section: encrypted storage is not supported by"
                    + " Caravan; migrate with Seafile's own script");
        }
        Profile.Section storage = ini.get("storage");
        if (storage != null && flag(storage, "enable_storage_classes", false)) {
            throw new ConfigException(conf + " enables storage classes (several storage backends):"
                    + " Caravan migrates one backend per object type");
        }
    }

    private static Path storage(Path seafileData, String where) {
        if (seafileData == null) {
            throw new ConfigException(where + " is absent, so the objects are in <seafile-data>/storage:"
                    + " set the job's seafile-data folder");
        }
        return seafileData.resolve("storage");
    }

    private static Ini load(Path conf) {
        Ini ini = new Ini();
        Config config = ini.getConfig().clone();
        config.setEscape(false); // Windows-style paths and secrets keep their backslashes
        config.setMultiOption(false);
        ini.setConfig(config);
        try (Reader reader = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
            ini.load(reader);
            return ini;
        } catch (IOException e) {
            throw new ConfigException("cannot read " + conf + ": " + e.getMessage());
        }
    }

    private static String value(Profile.Section section, String key) {
        String v = section.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String required(Profile.Section section, String key, String where) {
        String v = value(section, key);
        if (v == null) {
            throw new ConfigException(where + " has no '" + key + "'");
        }
        return v;
    }

    private static boolean flag(Profile.Section section, String key, boolean otherwise) {
        String v = value(section, key);
        return v == null ? otherwise : v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes");
    }
}
