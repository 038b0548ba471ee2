import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.parley.client.internal.calls.TestPattern;
import org.parley.client.internal.calls.Y4m;

/**
 * Writes a y4m clip of the test pattern whose upper two thirds (the colour bars and the moving box's band) carry
 * fresh luma noise in every frame, like a camera in poor light: content that needs a real bitrate, unlike the plain
 * pattern (~110 kbit/s of VP8). The marker rows stay clean, so receivers still read the pattern's id and counter.
 * `java --class-path client-core/target/classes VideoClip.java OUT.y4m WIDTH HEIGHT FPS FRAMES ID NOISE`
 */
public class VideoClip {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int w = Integer.parseInt(args[1]);
    int h = Integer.parseInt(args[2]);
    int fps = Integer.parseInt(args[3]);
    int frames = Integer.parseInt(args[4]);
    int id = Integer.parseInt(args[5]);
    int noise = Integer.parseInt(args[6]);
    Y4m.Header header = new Y4m.Header(w, h, fps, 1);
    TestPattern pattern = new TestPattern(w, h, id);
    Random random = new Random(id);
    int ySize = w * h;
    int cSize = header.chromaWidth() * header.chromaHeight();
    try (Y4m.Writer writer = new Y4m.Writer(out, header)) {
      for (int i = 0; i < frames; i++) {
        byte[] frame = new byte[header.frameBytes()];
        ByteBuffer all = ByteBuffer.wrap(frame);
        pattern.draw(i, all.slice(0, ySize), w, all.slice(ySize, cSize), header.chromaWidth(),
            all.slice(ySize + cSize, cSize), header.chromaWidth());
        for (int p = 0; p < w * (h * 70 / 100); p++) {
          int v = (frame[p] & 0xff) + random.nextInt(2 * noise + 1) - noise;
          frame[p] = (byte) Math.max(16, Math.min(235, v));
        }
        writer.write(frame);
      }
    }
  }
}
