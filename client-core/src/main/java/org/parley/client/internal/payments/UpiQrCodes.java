package org.parley.client.internal.payments;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.QrCode;

/**
 * The QR code of a payment request's UPI link, for a phone's UPI app to scan from the screen. Error correction M
 * (15 %): a link of ~150 characters stays a code of about 45 modules that a camera reads from a chat bubble.
 */
public final class UpiQrCodes {

  private UpiQrCodes() {}

  public static QrCode of(PaymentRequest request) {
    return encode(request.upiLink());
  }

  static QrCode encode(String text) {
    ByteMatrix matrix;
    try {
      // The link is ASCII (percent-encoded); naming the charset keeps ZXing from adding an ECI segment.
      matrix = Encoder.encode(text, ErrorCorrectionLevel.M,
          Map.of(EncodeHintType.CHARACTER_SET, StandardCharsets.ISO_8859_1.name())).getMatrix();
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot make a QR code of " + text.length() + " characters", e);
    }
    int size = matrix.getWidth();
    BitSet dark = new BitSet(size * size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        dark.set(y * size + x, matrix.get(x, y) == 1);
      }
    }
    return new QrCode(text, size, dark);
  }
}
