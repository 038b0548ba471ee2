package org.parley.desktop.view;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

/** A QR code (ZXing) as a JavaFX image: black modules on white, with the standard four-module quiet zone. */
final class QrImage {

  private QrImage() {}

  static WritableImage of(String text, int pixelsPerModule) {
    BitMatrix modules;
    try {
      modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot show this link as a QR code: " + e.getMessage(), e);
    }
    int n = modules.getWidth();
    WritableImage image = new WritableImage(n * pixelsPerModule, n * pixelsPerModule);
    PixelWriter pixels = image.getPixelWriter();
    for (int y = 0; y < n * pixelsPerModule; y++) {
      for (int x = 0; x < n * pixelsPerModule; x++) {
        pixels.setColor(x, y, modules.get(x / pixelsPerModule, y / pixelsPerModule) ? Color.BLACK : Color.WHITE);
      }
    }
    return image;
  }
}
