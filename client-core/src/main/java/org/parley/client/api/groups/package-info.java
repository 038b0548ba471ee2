/**
 * Group chats: a group's state ({@link org.parley.client.api.groups.GroupInfo}), its messages
 * ({@link org.parley.client.api.groups.GroupMessage}), the system lines its changes leave in the conversation
 * ({@link org.parley.client.api.groups.GroupEvent}) and per-member receipts
 * ({@link org.parley.client.api.groups.GroupMessageInfo}). See docs/decisions/0140-groups.md.
 */
package org.parley.client.api.groups;
