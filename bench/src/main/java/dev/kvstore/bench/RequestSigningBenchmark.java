package dev.kvstore.bench;

import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.auth.RequestVerifier;
import dev.kvstore.auth.Verification;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What authenticating one cluster request costs: signing it (the caller's side) and verifying it (the
 * receiver's side), for a prepare-sized body and a larger one. Both are one SHA-256 of the body plus
 * one HMAC-SHA256 of a short string, from a cloned, already keyed {@code Mac}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RequestSigningBenchmark {

    private static final String TARGET = "/internal/txn/batch?term=7&node=node-2";

    /** About a prepare carrying a 100-byte value, and one carrying 16 KiB. */
    @Param({"300", "16384"})
    int bodyBytes;

    private RequestSigner signer;
    private RequestVerifier verifier;
    private byte[] body;
    private String header;

    @Setup
    public void setUp() {
        ClusterKey key = ClusterKey.fromSecret("benchmark cluster secret, 32 bytes");
        signer = new RequestSigner(key, Clock.systemUTC());
        verifier = new RequestVerifier(key, Clock.systemUTC(), Duration.ofSeconds(30));
        body = new byte[bodyBytes];
        new Random(1).nextBytes(body);
        header = signer.authorization("POST", TARGET, body);
    }

    @Benchmark
    public String sign() {
        return signer.authorization("POST", TARGET, body);
    }

    @Benchmark
    public Verification verify() {
        return verifier.verify("POST", TARGET, header, body);
    }
}
