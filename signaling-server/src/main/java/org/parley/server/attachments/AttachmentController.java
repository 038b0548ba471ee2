package org.parley.server.attachments;

import java.util.concurrent.CompletableFuture;
import org.parley.protocol.CreateAttachmentRequest;
import org.parley.protocol.Route;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.api.Handler;
import org.parley.server.api.Router;

/**
 * The attachment routes that are ordinary requests (reserve, progress, delete), over HTTP or the WebSocket. The
 * bytes themselves (PUT, GET and HEAD of {@code /v1/attachments/{id}}) are streamed by the HTTP transport; over the
 * WebSocket those routes answer 400, saying so.
 */
public final class AttachmentController {

  private final AttachmentService attachments;

  public AttachmentController(AttachmentService attachments) {
    this.attachments = attachments;
  }

  public void register(Router router) {
    router.add(Route.CREATE_ATTACHMENT, (request, params) -> {
      var device = request.requireDevice();
      CreateAttachmentRequest body = BodyCodec.parse(request, CreateAttachmentRequest.getDefaultInstance());
      return CompletableFuture.completedFuture(ApiResponse.ok(attachments.reserve(device, body.getSize())));
    });
    router.add(Route.GET_ATTACHMENT_UPLOAD, (request, params) -> CompletableFuture.completedFuture(
        ApiResponse.ok(attachments.status(request.requireDevice(), params.get(0)))));
    router.add(Route.DELETE_ATTACHMENT, (request, params) ->
        attachments.delete(request.requireDevice(), params.get(0)).thenApply(done -> ApiResponse.noContent()));
    Handler httpOnly = (request, params) -> {
      throw ApiException.badRequest("http_only", request.verb() + " " + request.path()
          + " streams attachment bytes and works over HTTP only, not inside the WebSocket");
    };
    router.add(Route.UPLOAD_ATTACHMENT, httpOnly);
    router.add(Route.DOWNLOAD_ATTACHMENT, httpOnly);
    router.add(Route.ATTACHMENT_LENGTH, httpOnly);
  }
}
