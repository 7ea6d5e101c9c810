/**
 * How the node's HTTP API reports errors: every failure is an RFC 9457 problem with a detail that
 * tells the caller what to fix (4xx) or when to retry (503); never a stack trace. What Tomcat,
 * filters and {@code /error} answer comes from web-support ({@code dev.kvstore.web}), in the same
 * form. Request bodies are capped at {@code kv.node.max-body-size}, which must hold a prepare's value
 * in base64.
 */
package dev.kvstore.node.web;
