/**
 * Periodic jobs: one list per app, one thread per job, so no job holds back another.
 */
package dev.kvstore.web.jobs;
