package io.caravan.seafile;

import java.util.Locale;

/** Seafile's three object stores, in the order a pass copies them: what a commit refers to goes before it. */
public enum ObjectType {
    BLOCKS("blocks", "block_backend", "block"),
    FS("fs", "fs_object_backend", "fs object"),
    COMMITS("commits", "commit_object_backend", "commit");

    private final String folder;
    private final String section;
    private final String noun;

    ObjectType(String folder, String section, String noun) {
        this.folder = folder;
        this.section = section;
        this.noun = noun;
    }

    /** The store's folder under {@code storage/}, and the first segment of its items' keys. */
    public String folder() {
        return folder;
    }

    /** Its section in seafile.conf. */
    public String section() {
        return section;
    }

    /** How a message names one object of this type. */
    public String noun() {
        return noun;
    }

    public static ObjectType ofFolder(String folder) {
        for (ObjectType type : values()) {
            if (type.folder.equals(folder)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a Seafile object type: " + folder.toLowerCase(Locale.ROOT));
    }
}
