package org.parley.desktop.vm;

import org.parley.client.api.DeviceRevoked;

/**
 * What the full-window screen says once the server has revoked this computer's credentials, and which way "set up
 * again" leads.
 *
 * @param title the heading
 * @param explanation what happened and what linking again does to the messages stored here
 * @param setUpLabel the button that starts over
 * @param straightToLink whether that button opens "Link to my phone" directly (a linked computer), or the welcome
 *     screen with both choices (a computer that was the primary)
 */
public record Unlinked(String title, String explanation, String setUpLabel, boolean straightToLink) {

  static final String HISTORY = "Setting this computer up again starts with an empty chat history: the messages "
      + "stored on it are deleted then. Until you do, they stay on this computer.";

  /** The words for {@code revoked} on device {@code deviceId} of {@code number}. */
  public static Unlinked of(DeviceRevoked revoked, int deviceId, String number) {
    String who = number;
    if (deviceId != 1 && revoked.reason() == DeviceRevoked.Reason.UNLINKED) {
      return new Unlinked("This computer was unlinked from your phone's account",
          "Your phone (" + who + ") removed it from its linked devices, so this computer can no longer send or "
              + "receive messages. To use Parley here again, link it to your phone once more. " + HISTORY,
          "Link again", true);
    }
    if (deviceId != 1) {
      return new Unlinked("This computer is no longer linked to your phone's account",
          "The number " + who + " was registered with Parley again (a new phone, or the app set up anew), which "
              + "ends the old registration and every computer linked to it. To use Parley here again, link it to "
              + "your phone once more. " + HISTORY,
          "Link again", true);
    }
    return new Unlinked("Your registration was replaced",
        "The number " + who + " was registered with Parley on another device, so this computer can no longer send "
            + "or receive messages as it. You can link this computer to that device, or register the number here "
            + "again (which ends the other device's registration). " + HISTORY,
        "Set up again", false);
  }
}
