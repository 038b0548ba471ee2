package org.parley.turn.attribute;

import java.util.Arrays;
import org.parley.turn.message.TransactionId;

/** DATA (RFC 8656 section 18.4): the application data of a Send or Data indication. */
public final class Data implements StunAttribute {
  private final byte[] bytes;

  public Data(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public int type() {
    return AttributeType.DATA;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return bytes.clone();
  }

  static Data decode(byte[] buf, int off, int len) {
    return new Data(Arrays.copyOfRange(buf, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Data && Arrays.equals(bytes, ((Data) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Data[" + bytes.length + " bytes]";
  }
}
