package io.caravan.source;

import io.caravan.item.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FolderWalkerTest {

    @TempDir
    Path dir;

    /** Neighbouring keys are read from the ledger as one range: the listing keeps a folder's files in key order. */
    @Test
    void lists_the_files_of_a_folder_in_name_order_whatever_order_they_were_written_in() throws Exception {
        List<String> names = IntStream.range(0, 500).mapToObj(i -> "f" + i + ".bin").collect(ArrayList::new,
                ArrayList::add, ArrayList::addAll);
        Collections.shuffle(names, new Random(7));
        Files.createDirectories(dir.resolve("d"));
        for (String name : names) {
            Files.writeString(dir.resolve("d").resolve(name), name);
        }
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.writeString(dir.resolve("z.txt"), "z");

        List<String> listed = keys(dir);

        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        assertThat(listed).containsExactly(concat(List.of("a.txt"), sorted.stream().map(n -> "d/" + n).toList(),
                List.of("z.txt")).toArray(String[]::new));
    }

    /** A folder too large to sort in memory is listed as the file system gives it: every file, once. */
    @Test
    void lists_every_file_of_a_folder_too_large_to_sort_once() throws Exception {
        int files = FolderWalker.SORTED_AT_MOST + 3;
        for (int i = 0; i < files; i++) {
            Files.write(dir.resolve("f" + i), new byte[0]);
        }

        List<String> listed = keys(dir);

        assertThat(listed).hasSize(files).doesNotHaveDuplicates()
                .containsAll(IntStream.range(0, files).mapToObj(i -> "f" + i).toList());
    }

    private static List<String> keys(Path root) {
        List<String> keys = new ArrayList<>();
        try (FolderWalker walker = new FolderWalker(root)) {
            walker.forEachRemaining(item -> keys.add(((Item) item).key()));
        }
        return keys;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
