package org.parley.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import javax.imageio.ImageIO;
import org.parley.client.api.InvalidInputException;

/** Link QR codes as PNG files (ZXing): written by {@code parley link}, read by {@code parley add-device --qr}. */
final class QrCodes {

  private static final int SIZE = 360;

  private QrCodes() {}

  static void writePng(String text, Path file) throws IOException {
    BitMatrix matrix;
    try {
      matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, SIZE, SIZE,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
    } catch (WriterException e) {
      throw new IOException("cannot encode the link as a QR code: " + e.getMessage(), e);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path partial = file.resolveSibling(file.getFileName() + ".part");
    MatrixToImageWriter.writeToPath(matrix, "PNG", partial);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  static String readPng(Path file) throws InvalidInputException {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read the image " + file + ": " + e.getMessage(), e);
    }
    if (image == null) {
      throw new InvalidInputException(file + " is not an image (PNG, JPEG, GIF or BMP)");
    }
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
    try {
      return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    } catch (NotFoundException | ChecksumException | FormatException photoFailed) {
      // ZXing's finder-pattern search misses about 1 in 100 of the clean, computer-made codes `parley link` writes;
      // read as a pure barcode (just the code and its quiet zone) those always decode.
      try {
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
      } catch (NotFoundException | ChecksumException | FormatException e) {
        throw new InvalidInputException("No readable QR code in " + file, photoFailed);
      }
    }
  }
}
