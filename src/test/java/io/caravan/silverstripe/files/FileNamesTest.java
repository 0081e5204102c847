package io.caravan.silverstripe.files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The name rules FileMigrationHelper_expectations.json shows, one by one. */
class FileNamesTest {

    @Test
    void runs_of_underscores_collapse_and_nothing_else_changes() {
        assertThat(FileNames.clean("bad__name.zip")).isEqualTo("bad_name.zip");
        assertThat(FileNames.clean("bad__0.zip")).isEqualTo("bad_0.zip");
        assertThat(FileNames.clean("bad__image.gif")).isEqualTo("bad_image.gif");
        assertThat(FileNames.clean("under___score.jpg")).isEqualTo("under_score.jpg");
        assertThat(FileNames.clean("multi-dash--file---4.pdf")).isEqualTo("multi-dash--file---4.pdf");
        assertThat(FileNames.clean("MIXED-CASE-FILE.TXT")).isEqualTo("MIXED-CASE-FILE.TXT");
    }

    @Test
    void a_clash_takes_the_next_version_before_the_extension() {
        assertThat(FileNames.versioned("bad_name.doc", 2)).isEqualTo("bad_name-v2.doc");
        assertThat(FileNames.versioned("bad_name-v2.doc", 3)).isEqualTo("bad_name-v3.doc");
        assertThat(FileNames.versioned("archive.tar.gz", 2)).isEqualTo("archive.tar-v2.gz");
        assertThat(FileNames.versioned("README", 2)).isEqualTo("README-v2");
    }

    @Test
    void the_extension_is_after_the_last_dot_of_the_name() {
        assertThat(FileNames.extension("wRoNg-CaSe.tXt")).isEqualTo("tXt");
        assertThat(FileNames.extension("ParentFolder/SubFolder/myfile")).isEmpty();
        assertThat(FileNames.extension("my.folder/myfile")).isEmpty();
        assertThat(FileNames.extension(".htaccess")).isEmpty();
        assertThat(FileNames.extension("sam_double_dots.tar.gz")).isEqualTo("gz");
    }
}
