// A real HDFS for ember's tests: Hadoop's MiniDFSCluster with one datanode
// and WebHDFS, everything bound to 127.0.0.1 on free ports.
//
// Usage: java MiniHdfs <base dir>
// Prints one line, `READY hdfs://127.0.0.1:<rpc> http=127.0.0.1:<http>`, on
// stdout once the cluster serves requests (Hadoop's logs go to stderr),
// and shuts the cluster down when stdin closes or on SIGTERM.
import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

public final class MiniHdfs {
  private MiniHdfs() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: MiniHdfs <base dir>");
      System.exit(2);
    }
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(args[0]).getAbsolutePath());
    conf.setBoolean("dfs.webhdfs.enabled", true);
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    final MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf)
        .numDataNodes(1).nameNodePort(0).nameNodeHttpPort(0).build();
    cluster.waitActive();
    // SIGTERM runs the hooks; the end of stdin reaches them through exit().
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown));
    InetSocketAddress http = cluster.getNameNode().getHttpAddress();
    System.out.println("READY hdfs://127.0.0.1:" + cluster.getNameNodePort()
        + " http=127.0.0.1:" + http.getPort());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() != -1) {
      // Nothing to read: the parent's end of the pipe closing is the signal.
    }
    System.exit(0);
  }
}
