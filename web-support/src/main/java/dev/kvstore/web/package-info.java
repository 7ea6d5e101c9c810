/**
 * What both apps answer to bad input, wherever it is refused: by Tomcat before the application
 * (an unparseable request line, URL or header, headers over the limit), by a filter or the
 * container's {@code /error} page, or by Spring MVC. Always an RFC 9457 problem
 * ({@code application/problem+json}) whose detail tells the caller what to fix; never HTML, never a
 * stack trace, never an exception's text in a 5xx. Request bodies are capped: a Content-Length over
 * the limit is refused before the body is read, a chunked body one byte past it.
 */
package dev.kvstore.web;
