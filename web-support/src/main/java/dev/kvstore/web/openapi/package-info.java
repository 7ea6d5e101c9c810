/**
 * What both apps' OpenAPI documents share, applied once instead of on every controller: problem+json
 * error bodies with one {@code Problem} schema, Retry-After on every 503, the cluster-secret signature on
 * internal operations, and a stable order so the served documents can be compared with the committed
 * ones in {@code openapi/}.
 */
package dev.kvstore.web.openapi;
