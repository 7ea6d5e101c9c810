package dev.kvstore.coordinator.config;

import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client for calls to nodes: blocking I/O on the calling (virtual) thread over pooled
 * keep-alive connections. Measured here, the JDK client's hand-offs between its selector thread and
 * the caller cost about 1.5 ms a call against 0.1 ms for the node's own work. Every wait is bounded:
 * for a pooled connection and for connecting by the connect timeout, for each read by the read timeout.
 */
public final class NodeHttpClients {

    /** Below the nodes' 60 s keep-alive timeout, so a pooled connection is never one the node closed. */
    private static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(15);

    private NodeHttpClients() {
    }

    /**
     * The pooled client: for the node batches, which it sends itself, for RestClients to nodes (through
     * an {@code HttpComponentsClientHttpRequestFactory} that sets nothing of its own, so each request takes
     * this default config as it is, not a copy merged per request) and for a follower forwarding requests
     * to the leader. Never retries on its own: whether a request may be sent again is the caller's to
     * decide. Calls to a node that never answers hold their pooled connections for the read timeout each;
     * once they fill the node's share of the pool, further calls must fail, not queue (HttpClient's
     * default: 3 min), so leasing a connection waits the connect timeout at most.
     *
     * @param tls for https node URLs: whom to trust (hostname verification stays on); null for the JDK's
     *            default trust store
     */
    public static CloseableHttpClient client(java.time.Duration connectTimeout, java.time.Duration readTimeout,
                                             SSLContext tls) {
        ConnectionConfig connections = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .setSocketTimeout(Timeout.of(readTimeout.toMillis(), TimeUnit.MILLISECONDS))
                // A connection idle for a while is checked before reuse instead of failing the call.
                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                .build();
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create();
        if (tls != null) {
            pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(tls));
        }
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(pool
                        .setMaxConnTotal(1024)
                        .setMaxConnPerRoute(512)
                        .setDefaultConnectionConfig(connections)
                        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout.toMillis(), TimeUnit.MILLISECONDS))
                        .setResponseTimeout(Timeout.of(readTimeout.toMillis(), TimeUnit.MILLISECONDS))
                        .build())
                .evictIdleConnections(IDLE_EVICTION)
                // HttpNodeTransport decides what to retry; every node call is idempotent.
                .disableAutomaticRetries()
                // Nodes never redirect, compress or set cookies; a forwarded answer passes through as it came.
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .build();
        return client;
    }
}
