package org.parley.client.internal.linking;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.parley.client.api.InvalidInputException;
import org.parley.protocol.ProvisionEnvelope;
import org.parley.protocol.ProvisionMessage;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kdf.HKDF;

/**
 * Seals the provisioning message to the new device's ephemeral X25519 key and opens it there
 * (docs/decisions/0301-device-linking.md): X25519 between a fresh sender key and the recipient's key, HKDF-SHA256 to
 * an AES-256 key, AES-256-GCM with a random 96-bit nonce and both public keys as associated data.
 */
public final class ProvisioningCipher {

  static final int VERSION = 1;
  private static final byte[] INFO = "Parley provisioning message v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SALT = new byte[32];
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ProvisioningCipher() {}

  public static ProvisionEnvelope seal(ProvisionMessage message, ECPublicKey recipient) {
    ECKeyPair ephemeral = ECKeyPair.generate();
    byte[] key = key(ephemeral.getPrivateKey().calculateAgreement(recipient));
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(ephemeral.getPublicKey(), recipient));
      byte[] sealed = cipher.doFinal(message.toByteArray());
      byte[] body = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, body, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, body, NONCE_BYTES, sealed.length);
      return ProvisionEnvelope.newBuilder().setVersion(VERSION)
          .setPublicKey(ByteString.copyFrom(ephemeral.getPublicKey().serialize()))
          .setBody(ByteString.copyFrom(body)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Opens an envelope with our ephemeral pair; a message sealed to another key fails with a clear error. */
  public static ProvisionMessage open(ProvisionEnvelope envelope, ECKeyPair ours) throws InvalidInputException {
    if (envelope.getVersion() != VERSION) {
      throw new InvalidInputException("Unsupported provisioning message version " + envelope.getVersion());
    }
    byte[] body = envelope.getBody().toByteArray();
    if (body.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new InvalidInputException("The provisioning message is truncated");
    }
    ECPublicKey theirs;
    try {
      theirs = new ECPublicKey(envelope.getPublicKey().toByteArray());
    } catch (InvalidKeyException | RuntimeException e) {
      throw new InvalidInputException("The provisioning message carries no valid sender key", e);
    }
    byte[] key = key(ours.getPrivateKey().calculateAgreement(theirs));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
      cipher.updateAAD(aad(theirs, ours.getPublicKey()));
      return ProvisionMessage.parseFrom(cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      throw new InvalidInputException("The provisioning message was not encrypted to this device's key, or was "
          + "changed on the way; scan the new QR code again", e);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidInputException("The provisioning message does not parse", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] key(byte[] sharedSecret) {
    try {
      return HKDF.deriveSecrets(sharedSecret, SALT, INFO, 32);
    } finally {
      Arrays.fill(sharedSecret, (byte) 0);
    }
  }

  private static byte[] aad(ECPublicKey sender, ECPublicKey recipient) {
    byte[] a = sender.serialize();
    byte[] b = recipient.serialize();
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
