package io.caravan.silverstripe;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The site's folders, read once per run: a folder's path from its chain of names, and whether what it holds is
 * protected (a view restriction of its own or inherited from a folder above it).
 */
public final class FolderTree {

    private static final String FOLDER_CLASS = "Folder";

    private final Map<Long, Folder> byId = new HashMap<>();
    private final Map<String, Long> byPath = new HashMap<>();

    /** One Folder row. */
    public record Folder(long id, String name, long parentId, String canViewType) {
    }

    public static boolean isFolderClass(String className) {
        return className != null && (className.equals(FOLDER_CLASS) || className.endsWith("\\" + FOLDER_CLASS));
    }

    public static FolderTree load(SiteDatabase db) {
        FolderTree tree = new FolderTree();
        String sql = "SELECT " + db.col("ID") + ", " + db.col("Name") + ", " + db.col("ParentID") + ", "
                + db.col("CanViewType") + ", " + db.col("ClassName") + " FROM " + db.file();
        for (Folder f : db.list(sql, rs -> isFolderClass(rs.getString(5))
                ? new Folder(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)) : null)) {
            tree.byId.put(f.id(), f);
        }
        for (Folder f : tree.byId.values()) {
            tree.byPath.put(tree.path(f.id()).toLowerCase(Locale.ROOT), f.id());
        }
        return tree;
    }

    /** The folder's path under the assets folder, {@code ParentFolder/SubFolder}; "" for the root (id 0). */
    public String path(long folderId) {
        StringBuilder path = new StringBuilder();
        Folder f = byId.get(folderId);
        int depth = 0;
        while (f != null && depth++ < 256) { // a cycle in ParentID must not hang the run
            path.insert(0, path.isEmpty() ? f.name() : f.name() + "/");
            f = byId.get(f.parentId());
        }
        return path.toString();
    }

    /** The folder at a path, matched without regard to case, or -1. */
    public long idOf(String path) {
        if (path.isEmpty()) {
            return 0;
        }
        return byPath.getOrDefault(path.toLowerCase(Locale.ROOT), -1L);
    }

    public Iterable<Folder> folders() {
        return byId.values();
    }

    /**
     * Whether a file with this CanViewType in this folder may be seen only by some: LoggedInUsers or
     * OnlyTheseUsers on it or, through Inherit (or no value), on the nearest folder above that says.
     */
    public boolean isProtected(String canViewType, long folderId) {
        String type = canViewType;
        Folder f = byId.get(folderId);
        int depth = 0;
        while (inherits(type) && f != null && depth++ < 256) {
            type = f.canViewType();
            f = byId.get(f.parentId());
        }
        return "LoggedInUsers".equals(type) || "OnlyTheseUsers".equals(type);
    }

    private static boolean inherits(String type) {
        return type == null || type.isEmpty() || type.equals("Inherit");
    }
}
