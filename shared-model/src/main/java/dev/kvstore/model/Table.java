package dev.kvstore.model;

/** The two tables of a node: keys it is primary for, and the replica of its predecessor's keys. */
public enum Table {
    OWN,
    PREV
}
