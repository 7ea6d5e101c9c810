package dev.kvstore.model;

/** A node announcing itself to the coordinator: its stable id and the base URL it serves on. */
public record NodeRegistration(String id, String url) {
}
