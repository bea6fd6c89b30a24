// Hadoop's own SequenceFile writer and reader, the reference ember's
// SequenceFiles are checked against (tests/python/test_hadoop_compat.py).
//
// Usage:
//   SeqFileTool write <dir>     writes, with SequenceFile.Writer on the raw
//       local file system (no .crc files), <kind>-<compression>.seq for
//       every kind and compression in KINDS/COMPRESSIONS below. Record i of
//       each kind is a formula the Python test repeats; sync markers come
//       every 4 KiB and blocks are capped at 4 KiB of records, so files
//       have many split points and block-compressed files many blocks;
//       each file's header carries two metadata entries.
//   SeqFileTool read <file>...  for each file, with SequenceFile.Reader,
//       prints "FILE <path> <key class> <value class> <NONE|RECORD|BLOCK>
//       <codec class or ->", then one "<key>\t<value>" line per record,
//       then "SYNCS <n>": the sync markers the reader passed (in a
//       block-compressed file, one per block).
//
// Canonical text of a Writable: Text and BytesWritable as lowercase hex of
// their bytes; integers in decimal; FloatWritable/DoubleWritable as Java's
// toString (the test picks values whose Python repr is the same);
// BooleanWritable true/false; NullWritable null; MapWritable "{e,e,...}",
// entries "<Class>:<key>=<Class>:<value>" (short class names) sorted.
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.DoubleWritable;
import org.apache.hadoop.io.FloatWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.MapWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.SequenceFile.CompressionType;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.VIntWritable;
import org.apache.hadoop.io.VLongWritable;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.io.compress.Lz4Codec;
import org.apache.hadoop.util.ReflectionUtils;

public final class SeqFileTool {
  static final int RECORDS = 2000;
  // Bytes between sync markers (Hadoop's default, 100 KiB, would leave the small files one or two).
  static final int SYNC_INTERVAL = 4096;
  static final SequenceFile.Metadata METADATA = new SequenceFile.Metadata(
      new java.util.TreeMap<>(Map.of(new Text("written-by"), new Text("SeqFileTool"), new Text("é"), new Text(""))));
  static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private SeqFileTool() {}

  /** One kind of file: its classes, record i, and whether every codec is written. */
  private static final class Kind {
    final String name;
    final Class<? extends Writable> keyClass;
    final Class<? extends Writable> valueClass;
    final IntFunction<Writable> key;
    final IntFunction<Writable> value;
    final boolean allCodecs;

    Kind(String name, Class<? extends Writable> keyClass, Class<? extends Writable> valueClass,
         IntFunction<Writable> key, IntFunction<Writable> value, boolean allCodecs) {
      this.name = name;
      this.keyClass = keyClass;
      this.valueClass = valueClass;
      this.key = key;
      this.value = value;
      this.allCodecs = allCodecs;
    }
  }

  /** A few hundred bytes of text, some of it multi-byte UTF-8 (a 4-byte emoji among it). */
  static String text(int i) {
    StringBuilder s = new StringBuilder("r" + i + "|" + "é日😀".repeat(i % 11));
    for (int j = 0; j < (i * 13) % 400; j++) {
      s.append(ALPHABET.charAt((i * j * 31 + j) % ALPHABET.length()));
    }
    return s.toString();
  }

  /** Up to 500 bytes, a few empty, and every 997th 70 KB (past read buffers, sync intervals and blocks). */
  static BytesWritable bytes(int i) {
    byte[] b = new byte[i % 997 == 0 ? 70000 + i : (i * 7) % 500];
    for (int j = 0; j < b.length; j++) {
      b[j] = (byte) ((i * 31 + j * j) % 256);
    }
    return new BytesWritable(b);
  }

  static MapWritable map(int i) {
    MapWritable m = new MapWritable();
    if (i % 10 != 0) {
      m.put(new Text("a"), new IntWritable(i - 1500));
      m.put(new Text("b"), new DoubleWritable(i * 0.5));
      m.put(new Text("s"), new Text(text(i % 50)));
      m.put(new IntWritable(i % 7), new Text("seven"));
      m.put(new Text("t"), new BooleanWritable(i % 2 == 0));
      m.put(new Text("n"), NullWritable.get());
      m.put(new Text("y"), new BytesWritable(new byte[] {(byte) i, 0, (byte) 255}));
      m.put(new LongWritable(5000000000L + i), new Text(""));
    }
    if (i % 3 == 0) {
      MapWritable inner = new MapWritable();
      inner.put(new Text("x"), new IntWritable(i));
      m.put(new Text("m"), inner);
    }
    return m;
  }

  static final Kind[] KINDS = {
    new Kind("int_text", IntWritable.class, Text.class,
        i -> new IntWritable(i * 7 - 1000), i -> new Text(text(i)), true),
    new Kind("long_double", LongWritable.class, DoubleWritable.class,
        i -> new LongWritable((i % 2 == 1 ? 1 : -1) * (i * 3000000019L + 5000000000L)),
        i -> new DoubleWritable(i * 0.25 - 100), false),
    new Kind("null_bytes", NullWritable.class, BytesWritable.class,
        i -> NullWritable.get(), SeqFileTool::bytes, false),
    new Kind("text_map", Text.class, MapWritable.class,
        i -> new Text("k" + i), SeqFileTool::map, false),
    new Kind("float_bool", FloatWritable.class, BooleanWritable.class,
        i -> new FloatWritable(i * 0.25f - 3), i -> new BooleanWritable(i % 3 == 0), false),
    new Kind("vint_vlong", VIntWritable.class, VLongWritable.class,
        i -> new VIntWritable(i * 1000003 - 1000000000),
        i -> new VLongWritable((i % 2 == 1 ? 1 : -1) * (long) i * i * i * i * i), false),
  };

  /** Compression suffixes: none, record-<codec>, block-<codec>. */
  static final String[] CODECS = {"default", "gzip", "bzip2", "lz4"};

  static CompressionCodec codec(String name, Configuration conf) {
    Class<? extends CompressionCodec> c = name.equals("gzip") ? GzipCodec.class
        : name.equals("bzip2") ? BZip2Codec.class : name.equals("lz4") ? Lz4Codec.class : DefaultCodec.class;
    return ReflectionUtils.newInstance(c, conf);
  }

  static void write(String dir) throws Exception {
    Configuration conf = new Configuration();
    conf.setInt("io.seqfile.compress.blocksize", 4096);
    FileSystem raw = FileSystem.getLocal(conf).getRaw();
    for (Kind kind : KINDS) {
      writeOne(raw, conf, new Path(dir, kind.name + "-none.seq"), kind, CompressionType.NONE, new DefaultCodec());
      for (String codec : kind.allCodecs ? CODECS : new String[] {"default"}) {
        for (CompressionType type : new CompressionType[] {CompressionType.RECORD, CompressionType.BLOCK}) {
          Path path = new Path(dir, kind.name + "-" + type.name().toLowerCase() + "-" + codec + ".seq");
          writeOne(raw, conf, path, kind, type, codec(codec, conf));
        }
      }
    }
  }

  static void writeOne(FileSystem raw, Configuration conf, Path path, Kind kind, CompressionType type,
                       CompressionCodec codec) throws Exception {
    try (FSDataOutputStream out = raw.create(path);
         SequenceFile.Writer writer = SequenceFile.createWriter(conf, SequenceFile.Writer.stream(out),
             SequenceFile.Writer.keyClass(kind.keyClass), SequenceFile.Writer.valueClass(kind.valueClass),
             SequenceFile.Writer.compression(type, codec), SequenceFile.Writer.syncInterval(SYNC_INTERVAL),
             SequenceFile.Writer.metadata(METADATA))) {
      for (int i = 0; i < RECORDS; i++) {
        writer.append(kind.key.apply(i), kind.value.apply(i));
      }
    }
  }

  static String hex(byte[] b, int length) {
    StringBuilder s = new StringBuilder(length * 2);
    for (int i = 0; i < length; i++) {
      s.append(Character.forDigit((b[i] >> 4) & 15, 16)).append(Character.forDigit(b[i] & 15, 16));
    }
    return s.toString();
  }

  static String canonical(Writable w) {
    if (w instanceof Text) {
      return hex(((Text) w).getBytes(), ((Text) w).getLength());
    }
    if (w instanceof BytesWritable) {
      return hex(((BytesWritable) w).getBytes(), ((BytesWritable) w).getLength());
    }
    if (w instanceof MapWritable) {
      List<String> entries = new ArrayList<>();
      for (Map.Entry<Writable, Writable> e : ((MapWritable) w).entrySet()) {
        entries.add(tagged(e.getKey()) + "=" + tagged(e.getValue()));
      }
      Collections.sort(entries);
      return "{" + String.join(",", entries) + "}";
    }
    if (w instanceof NullWritable) {
      return "null";
    }
    if (w instanceof IntWritable || w instanceof LongWritable || w instanceof FloatWritable
        || w instanceof DoubleWritable || w instanceof BooleanWritable
        || w instanceof VIntWritable || w instanceof VLongWritable) {
      return w.toString();
    }
    throw new IllegalArgumentException("no canonical form for " + w.getClass().getName());
  }

  static String tagged(Writable w) {
    return w.getClass().getSimpleName() + ":" + canonical(w);
  }

  static void read(String file, Configuration conf, Writer out) throws Exception {
    try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(new Path(file)))) {
      CompressionCodec codec = reader.getCompressionCodec();
      out.append("FILE " + file + " " + reader.getKeyClassName() + " " + reader.getValueClassName() + " "
          + reader.getCompressionType().name() + " " + (codec == null ? "-" : codec.getClass().getName()) + "\n");
      Writable key = (Writable) ReflectionUtils.newInstance(reader.getKeyClass(), conf);
      Writable value = (Writable) ReflectionUtils.newInstance(reader.getValueClass(), conf);
      int syncs = 0;
      while (reader.next(key, value)) {
        out.append(canonical(key) + "\t" + canonical(value) + "\n");
        syncs += reader.syncSeen() ? 1 : 0;
      }
      out.append("SYNCS " + syncs + "\n");
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("write")) {
      write(args[1]);
      return;
    }
    if (args.length >= 2 && args[0].equals("read")) {
      Configuration conf = new Configuration();
      Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
      for (int i = 1; i < args.length; i++) {
        read(args[i], conf, out);
      }
      out.flush();
      return;
    }
    System.err.println("usage: SeqFileTool write <dir> | read <file>...");
    System.exit(2);
  }
}
