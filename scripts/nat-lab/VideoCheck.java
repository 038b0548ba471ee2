import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import org.parley.client.internal.calls.TestPattern;
import org.parley.client.internal.calls.Y4m;

/**
 * Checks a y4m recording of a video call: `java --class-path client-core/target/classes VideoCheck.java FILE ID`.
 * Prints the size, frame count, how many frames carry pattern ID (and any other id), and how many distinct source
 * frames they show; exits 0 when at least a third of the frames show ID and none shows another.
 */
public class VideoCheck {
  public static void main(String[] args) throws Exception {
    int id = Integer.parseInt(args[1]);
    try (Y4m.Reader reader = new Y4m.Reader(Path.of(args[0]))) {
      Y4m.Header h = reader.header();
      int frames = 0;
      int ours = 0;
      int others = 0;
      TreeSet<Integer> counters = new TreeSet<>();
      byte[] frame;
      while ((frame = reader.next()) != null) {
        frames++;
        Optional<TestPattern.Marker> m = TestPattern.read(h.width(), h.height(), ByteBuffer.wrap(frame), h.width());
        if (m.isPresent() && m.get().id() == id) {
          ours++;
          counters.add(m.get().counter());
        } else if (m.isPresent()) {
          others++;
        }
      }
      System.out.printf("%dx%d, %d frames at %d/%d fps: %d show pattern %d (%d distinct source frames), %d another%n",
          h.width(), h.height(), frames, h.fpsNum(), h.fpsDen(), ours, id, counters.size(), others);
      System.exit(frames > 0 && ours * 3 >= frames && others == 0 ? 0 : 1);
    }
  }
}
