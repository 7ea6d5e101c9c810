package dev.kvstore.node.security;

import dev.kvstore.web.security.ClusterSecurityProperties;
import dev.kvstore.web.security.SigningInterceptor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.node.config.ParticipantProperties;
import dev.kvstore.node.config.WalProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

/** The node refuses to start without a usable cluster secret unless told it runs insecurely, and says so. */
@ExtendWith(OutputCaptureExtension.class)
class ClusterSecurityStartupTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ClusterSecurityProperties.class, WalProperties.class, ParticipantProperties.class})
    static class Properties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, ClusterSecurityConfiguration.class)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean("nodeId", String.class, () -> "node-t");

    @Test
    void withoutASecretTheNodeDoesNotStartAndSaysHowToSetOne() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("kv.cluster.secret is not set",
                    "KV_CLUSTER_SECRET", "kv.cluster.insecure-dev=true");
        });
    }

    @Test
    void blankOrShortSecretIsRefusedAtStartup() {
        runner.withPropertyValues("kv.cluster.secret=   ").run(context ->
                assertThat(rootMessage(context.getStartupFailure())).contains("kv.cluster.secret is not set"));
        runner.withPropertyValues("kv.cluster.secret=short").run(context ->
                assertThat(rootMessage(context.getStartupFailure())).contains("kv.cluster.secret is unusable",
                        "5 bytes", "at least 16"));
    }

    @Test
    void insecureDevStartsWithAWarningAndNeitherChecksNorSigns(CapturedOutput output) {
        runner.withPropertyValues("kv.cluster.insecure-dev=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FilterRegistrationBean.class).isEnabled()).isFalse();
            assertThat(interceptors(context.getBean(RestClientCustomizer.class))).isEmpty();
        });
        assertThat(output).contains("cluster traffic is NOT authenticated (kv.cluster.insecure-dev=true)");
    }

    @Test
    void withASecretRequestsAreSignedAndChecked(CapturedOutput output) {
        runner.withPropertyValues("kv.cluster.secret=0123456789abcdef").run(context -> {
            assertThat(context).hasNotFailed();
            FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
            assertThat(filter.isEnabled()).isTrue();
            assertThat(filter.getUrlPatterns()).containsExactly("/internal/*");
            assertThat(interceptors(context.getBean(RestClientCustomizer.class)))
                    .singleElement().isInstanceOf(SigningInterceptor.class);
            assertThat(context.getBean(ClusterSecurityProperties.class).toString()).doesNotContain("0123456789abcdef");
        });
        assertThat(output).doesNotContain("NOT authenticated");
    }

    @Test
    void secretWinsOverInsecureDev(CapturedOutput output) {
        runner.withPropertyValues("kv.cluster.secret=0123456789abcdef", "kv.cluster.insecure-dev=true").run(context ->
                assertThat(context.getBean(FilterRegistrationBean.class).isEnabled()).isTrue());
        assertThat(output).contains("kv.cluster.insecure-dev=true is ignored");
    }

    @Test
    void outcomesMustOutliveTheReplayWindow() {
        runner.withPropertyValues("kv.cluster.secret=0123456789abcdef", "kv.cluster.max-clock-skew=1m",
                "kv.participant.outcome-retention=90s").run(context ->
                assertThat(rootMessage(context.getStartupFailure())).contains("kv.participant.outcome-retention"));
    }

    private static List<ClientHttpRequestInterceptor> interceptors(RestClientCustomizer customizer) {
        RestClient.Builder builder = RestClient.builder();
        customizer.customize(builder);
        List<ClientHttpRequestInterceptor> found = new ArrayList<>();
        builder.requestInterceptors(found::addAll);
        return found;
    }

    private static String rootMessage(Throwable failure) {
        assertThat(failure).as("startup failure").isNotNull();
        return NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
    }
}
