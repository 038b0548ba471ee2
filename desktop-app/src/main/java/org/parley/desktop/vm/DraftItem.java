package org.parley.desktop.vm;

import java.nio.file.Path;

/**
 * A file waiting in the preview sheet before it is sent.
 *
 * @param picture shown as a thumbnail (the view decodes it small), else as a file name
 * @param temporary written by the app (a pasted picture): deleted once sent or dropped
 */
public record DraftItem(Path file, String name, long size, String sizeText, boolean picture, boolean temporary) {}
