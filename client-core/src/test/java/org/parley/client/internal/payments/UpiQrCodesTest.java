package org.parley.client.internal.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.QrCode;
import org.parley.client.api.payments.Vpa;

class UpiQrCodesTest {

  @Test
  void theQrCodeDecodesToExactlyTheLink() throws Exception {
    PaymentRequest dinner = new PaymentRequest(PaymentRequestId.random(), new Vpa("alice@okbank"), "Alice Sharma",
        new InrAmount(new BigDecimal("250.00")), Optional.of("Dinner at Café Spice 🍛"));
    QrCode code = UpiQrCodes.of(dinner);
    assertThat(code.text()).isEqualTo(dinner.upiLink());
    assertThat(code.size()).isBetween(21, 61);
    assertThat(read(code)).isEqualTo(dinner.upiLink());
  }

  @Test
  void manyDifferentRequestsAllReadBack() throws Exception {
    // The longest possible fields too: names and notes of 50 characters that each encode to 9 bytes.
    for (int i = 0; i < 200; i++) {
      String name = i % 10 == 0 ? "😀".repeat(50) : "Payee " + i;
      PaymentRequest request = new PaymentRequest(PaymentRequestId.random(),
          new Vpa("user." + i + "@bank" + (i % 7 == 0 ? "x" : "")), name,
          new InrAmount(BigDecimal.valueOf(1 + 37L * i * i, 2)),
          i % 3 == 0 ? Optional.empty() : Optional.of("note " + "ä".repeat(i % 45)));
      QrCode code = UpiQrCodes.of(request);
      assertThat(read(code)).as("request %d", i).isEqualTo(request.upiLink());
    }
  }

  /** Draws the code with a 4-module quiet zone at 4 pixels a module, as a screen would, and reads it. */
  private static String read(QrCode code) throws Exception {
    int scale = 4;
    int side = (code.size() + 8) * scale;
    int[] pixels = new int[side * side];
    for (int py = 0; py < side; py++) {
      for (int px = 0; px < side; px++) {
        int x = px / scale - 4;
        int y = py / scale - 4;
        boolean dark = x >= 0 && y >= 0 && x < code.size() && y < code.size() && code.isDark(x, y);
        pixels[py * side + px] = dark ? 0xff000000 : 0xffffffff;
      }
    }
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
    Result result = new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
    return result.getText();
  }
}
