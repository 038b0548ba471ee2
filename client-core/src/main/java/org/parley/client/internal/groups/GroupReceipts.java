package org.parley.client.internal.groups;

import com.google.protobuf.ByteString;
import java.util.List;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.GroupReceipt;
import org.parley.client.internal.proto.ReceiptMessage;

/** Receipts for group messages, sent pairwise to the message's sender. */
final class GroupReceipts {

  private GroupReceipts() {}

  static byte[] receipt(String ownNumber, ByteString groupId, boolean read, List<Long> timestamps) {
    return Contents.encode(Content.newBuilder().setSenderNumber(ownNumber)
        .setGroupReceipt(GroupReceipt.newBuilder().setGroupId(groupId)
            .setType(read ? ReceiptMessage.Type.READ : ReceiptMessage.Type.DELIVERY).addAllTimestamps(timestamps))
        .build());
  }
}
