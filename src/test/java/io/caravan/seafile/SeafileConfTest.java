package io.caravan.seafile;

import io.caravan.job.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeafileConfTest {

    @TempDir
    Path dir;

    @Test
    void should_read_s3_and_fs_backends_and_default_to_seafile_data() throws Exception {
        Path conf = Files.writeString(dir.resolve("seafile.conf"), """
                [fileserver]
                port = 8082

                [block_backend]
                name = s3
                bucket = my-blocks
                key_id = AKIAEXAMPLE
                key = secret\\with\\backslashes
                host = minio.internal:9000
                path_style_request = true
                aws_region = eu-west-1

                [fs_object_backend]
                name = fs
                dir = /mnt/seafile
                """);
        Map<ObjectType, Backend> backends = SeafileConf.read(conf, dir.resolve("seafile-data"), 8);

        Backend.Bucket blocks = (Backend.Bucket) backends.get(ObjectType.BLOCKS);
        assertThat(blocks.bucket()).isEqualTo("my-blocks");
        assertThat(blocks.s3().endpoint()).isEqualTo("http://minio.internal:9000");
        assertThat(blocks.s3().region()).isEqualTo("eu-west-1");
        assertThat(blocks.s3().pathStyle()).isTrue();
        assertThat(blocks.s3().secretKey()).isEqualTo("secret\\with\\backslashes");
        assertThat(blocks.describe()).doesNotContain("secret").doesNotContain("AKIAEXAMPLE");
        assertThat(backends.get(ObjectType.FS)).isEqualTo(new Backend.Folder(Path.of("/mnt/seafile/storage/fs")));
        assertThat(backends.get(ObjectType.COMMITS))
                .isEqualTo(new Backend.Folder(dir.resolve("seafile-data/storage/commits")));
    }

    @Test
    void should_refuse_backends_caravan_cannot_move_before_anything_moves() throws Exception {
        assertRefused("[block_backend]\nname = swift\ncontainer = blocks\n", "'swift' backend");
        assertRefused("[commit_object_backend]\nname = ceph\nceph_config = /etc/ceph/ceph.conf\n", "'ceph' backend");
        assertRefused("[fs_object_backend]\nname = oss\nbucket = x\n", "'oss' backend");
        assertRefused("[store_crypt]\nkey_path = /opt/seafile/key\n", "encrypted storage");
        assertRefused("[storage]\nenable_storage_classes = true\nstorage_classes_file = /opt/classes.json\n",
                "storage classes");
        assertRefused("[block_backend]\nname = s3\nkey_id = a\nkey = b\n", "has no 'bucket'");
        assertRefused("[block_backend]\nname = fancy\n", "unknown backend 'fancy'");
    }

    @Test
    void should_ask_for_the_seafile_data_folder_when_a_type_has_no_section() throws Exception {
        Path conf = Files.writeString(dir.resolve("seafile.conf"), "[fileserver]\nport = 8082\n");
        assertThatThrownBy(() -> SeafileConf.read(conf, null, 8)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("seafile-data");
    }

    private void assertRefused(String content, String reason) throws Exception {
        Path conf = Files.writeString(dir.resolve("refused.conf"), content);
        assertThatThrownBy(() -> SeafileConf.read(conf, dir, 8)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(reason).hasMessageContaining(conf.toString());
    }
}
