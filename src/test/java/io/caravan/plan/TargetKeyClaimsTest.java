package io.caravan.plan;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TargetKeyClaimsTest {

    @Test
    void should_refuse_a_target_key_claimed_before_and_name_the_second_source_key() {
        TargetKeyClaims claims = TargetKeyClaims.of(true, false);
        assertThat(claims.claim("a.JPG", "a.jpg")).isNull();
        assertThat(claims.claim("a.jpg", "a.jpg")).contains("'a.jpg' is the target key", "copying 'a.jpg'");
        assertThat(claims.claim("A.jpg", "A.jpg")).as("case counts where the target tells it").isNull();
    }

    @Test
    void should_take_keys_that_differ_only_in_case_or_normalization_as_one_where_the_target_folds_case() {
        TargetKeyClaims claims = TargetKeyClaims.of(false, true);
        assertThat(claims.claim("README.md", "README.md")).isNull();
        assertThat(claims.claim("readme.md", "readme.md")).contains("does not tell upper from lower case");
        assertThat(claims.claim("caf\u00e9", "caf\u00e9")).isNull();
        assertThat(claims.claim("cafe\u0301", "cafe\u0301")).as("é decomposed").isNotNull();
    }

    @Test
    void should_hold_every_claim_as_it_grows() {
        TargetKeyClaims claims = TargetKeyClaims.of(true, false);
        IntStream.range(0, 200_000).forEach(i -> assertThat(claims.claim("s" + i, "k" + i)).isNull());
        IntStream.range(0, 200_000).forEach(i -> assertThat(claims.claim("t" + i, "k" + i)).isNotNull());
    }

    @Test
    void should_hold_nothing_for_a_mapping_that_cannot_join_two_keys() {
        TargetKeyClaims claims = TargetKeyClaims.of(false, false);
        assertThat(claims).isSameAs(TargetKeyClaims.NONE);
        assertThat(claims.claim("a", "a")).isNull();
        assertThat(claims.claim("a", "a")).isNull();
    }
}
