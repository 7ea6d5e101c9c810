/**
 * How the coordinator's API reports errors, once for every controller: an RFC 9457 problem whose
 * detail says what to fix (4xx) or when to retry (503 with Retry-After); never a stack trace, never
 * a 500 for bad input.
 */
package dev.kvstore.coordinator.web;
