/**
 * Pictures, videos and files sent with messages: encrypted with a fresh key, uploaded to the server, announced in the
 * end-to-end encrypted message (docs/decisions/0120-attachments-server.md, 0121-attachments-client.md).
 */
package org.parley.client.api.attachments;
