/**
 * How the node's HTTP API reports errors: every failure is an RFC 9457 problem with a detail that
 * tells the caller what to fix (4xx) or when to retry (503); never a stack trace.
 */
package dev.kvstore.node.web;
