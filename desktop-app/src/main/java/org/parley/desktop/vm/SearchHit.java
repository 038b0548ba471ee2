package org.parley.desktop.vm;

/** A message that matches the search box, to open its conversation at that message. */
public record SearchHit(String number, String name, long messageId, String text, String time) {}
