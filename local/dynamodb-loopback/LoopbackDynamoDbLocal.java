import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local as its own main class does, but listening on 127.0.0.1 only. The jar has
 * no bind-address option: its server is Jetty's Server(port), whose one connector binds every
 * interface. Here the connector's host is set to the loopback address before the server starts.
 * Run by Java's source launcher (java LoopbackDynamoDbLocal.java …), which compiles it in memory
 * with the JRE's own jdk.compiler module, so no javac is needed. The arguments are DynamoDB
 * Local's own (-disableTelemetry, -port, -inMemory, -dbPath, -sharedDb), read by its own parser.
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Connector connector : connectors) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
  }
}
