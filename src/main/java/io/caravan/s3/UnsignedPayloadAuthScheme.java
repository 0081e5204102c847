package io.caravan.s3;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

import java.util.concurrent.CompletableFuture;

/**
 * SigV4 with an unsigned payload ({@code x-amz-content-sha256: UNSIGNED-PAYLOAD}) on plain http too, as the SDK
 * already does over https and as rclone does on both. The SDK signs every body sent over plain http with its
 * SHA-256, which the C1 compiler computes without intrinsics: a tenth of the CPU of a small-file copy and, for a
 * large file, a second hash of every byte. Caravan sends Content-MD5 with every object and part, which the server
 * checks, so a body damaged on the way is refused all the same. The request is signed as if it went over https
 * (SigV4 does not sign the scheme) and sent as it is. {@code s3.sign-payload=true} keeps the SDK's own signing.
 */
final class UnsignedPayloadAuthScheme implements AwsV4AuthScheme {

    private final AwsV4HttpSigner signer = new Signer(AwsV4HttpSigner.create());

    @Override
    public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return providers.identityProvider(AwsCredentialsIdentity.class);
    }

    @Override
    public AwsV4HttpSigner signer() {
        return signer;
    }

    private record Signer(AwsV4HttpSigner sdk) implements AwsV4HttpSigner {

        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest sent = request.request();
            if ("https".equals(sent.protocol())) {
                return sdk.sign(request);
            }
            SignRequest<? extends AwsCredentialsIdentity> asHttps = request.copy(b -> b.request(
                    sent.toBuilder().protocol("https").port(sent.port()).build()));
            SignedRequest signed = sdk.sign(asHttps);
            return signed.copy(b -> b.request(signed.request().toBuilder().protocol(sent.protocol())
                    .port(sent.port()).build()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> r) {
            return sdk.signAsync(r);
        }
    }
}
