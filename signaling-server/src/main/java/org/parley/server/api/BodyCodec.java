package org.parley.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Bodies as binary protobuf (the default, and always over the WebSocket) or as protobuf's canonical JSON. */
public final class BodyCodec {

  public enum Format {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }

    public static Format fromContentType(String contentType) {
      return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
          ? JSON : PROTOBUF;
    }
  }

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private BodyCodec() {}

  /** Parses the request body into {@code prototype}'s type; a malformed body is a 400 that says so. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> T parse(ApiRequest request, T prototype) throws ApiException {
    try {
      if (request.format() == Format.JSON) {
        Message.Builder builder = prototype.newBuilderForType();
        PARSER.merge(new String(request.body(), StandardCharsets.UTF_8), builder);
        return (T) builder.build();
      }
      return (T) prototype.getParserForType().parseFrom(request.body());
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("malformed_body",
          "Body is not a valid " + prototype.getDescriptorForType().getName() + ": " + e.getMessage());
    }
  }

  public static byte[] encode(Message message, Format format) {
    if (format == Format.JSON) {
      try {
        return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName(), e);
      }
    }
    return message.toByteArray();
  }
}
