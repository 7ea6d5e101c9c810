package dev.kvstore.coordinator.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiAccessRulesTest {

    @Test
    void readsOfValuesAndTheNodeListNeedReadScope() {
        assertThat(ApiAccessRules.required("GET", "/kv/app/db/url")).contains(ApiScope.READ);
        assertThat(ApiAccessRules.required("HEAD", "/kv/a")).contains(ApiScope.READ);
        assertThat(ApiAccessRules.required("GET", "/nodes")).contains(ApiScope.READ);
        assertThat(ApiAccessRules.required("GET", "/nodes/placement")).contains(ApiScope.READ);
    }

    @Test
    void writesOfValuesNeedReadWriteAndRemovingANodeNeedsAdmin() {
        assertThat(ApiAccessRules.required("PUT", "/kv/a")).contains(ApiScope.READ_WRITE);
        assertThat(ApiAccessRules.required("DELETE", "/kv/a")).contains(ApiScope.READ_WRITE);
        assertThat(ApiAccessRules.required("POST", "/kv/a")).contains(ApiScope.READ_WRITE);
        assertThat(ApiAccessRules.required("DELETE", "/nodes/node-1")).contains(ApiScope.ADMIN);
    }

    @Test
    void settlingATransactionInDoubtNeedsAdminAndListingThemRead() {
        assertThat(ApiAccessRules.required("POST", "/nodes/node-1/transactions/t1")).contains(ApiScope.ADMIN);
        assertThat(ApiAccessRules.required("GET", "/nodes/node-1/transactions")).contains(ApiScope.READ);
    }

    @Test
    void theClusterCallsProbesAndDocsStayOpen() {
        assertThat(ApiAccessRules.required("POST", "/nodes")).isEmpty();
        assertThat(ApiAccessRules.required("PUT", "/nodes/node-1/heartbeat")).isEmpty();
        assertThat(ApiAccessRules.required("GET", "/internal/txn/t1")).isEmpty();
        assertThat(ApiAccessRules.required("GET", "/actuator/health/readiness")).isEmpty();
        assertThat(ApiAccessRules.required("GET", "/actuator/prometheus")).isEmpty();
        assertThat(ApiAccessRules.required("GET", "/livez")).isEmpty();
        assertThat(ApiAccessRules.required("GET", "/v3/api-docs/public")).isEmpty();
        assertThat(ApiAccessRules.required("GET", "/v3/api-docs.yaml/public")).isEmpty();
        assertThat(ApiAccessRules.required("GET", "/swagger-ui/index.html")).isEmpty();
    }

    @Test
    void anythingElseNeedsAKey() {
        assertThat(ApiAccessRules.required("GET", "/")).contains(ApiScope.READ);
        assertThat(ApiAccessRules.required("GET", "/kvx")).contains(ApiScope.READ);
        assertThat(ApiAccessRules.required("GET", "/internalx")).contains(ApiScope.READ);
    }
}
