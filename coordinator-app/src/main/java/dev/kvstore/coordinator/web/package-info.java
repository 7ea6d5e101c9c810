/**
 * How the coordinator's API reports errors, once for every controller: an RFC 9457 problem whose
 * detail says what to fix (4xx) or when to retry (503 with Retry-After); never a stack trace, never
 * a 500 for bad input. What Tomcat, filters and {@code /error} answer comes from web-support
 * ({@code dev.kvstore.web}), in the same form. Request bodies other than values are capped at
 * {@code kv.api.max-body-size}; values at {@code kv.api.max-value-size}, by the controller.
 */
package dev.kvstore.coordinator.web;
