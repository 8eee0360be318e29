package io.amply.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of PostgreSQL whose connections a test can cut one by one, as a network
 * failure would: the client sees its connection drop while the server side carries on with what
 * it was doing. Each connection is known by its upstream socket's local port, which is the
 * {@code client_port} PostgreSQL reports for the backend in {@code pg_stat_activity}.
 */
final class CuttableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final Map<Integer, Socket[]> connections = new ConcurrentHashMap<>();
    private volatile boolean down;
    /** Every byte the clients sent, when asked to keep it (a test reading what reached the server); null otherwise. */
    private final java.io.ByteArrayOutputStream sent;

    CuttableProxy(int targetPort) throws IOException {
        this(targetPort, false);
    }

    /** {@code keepWhatClientsSend}: {@link #sent()} then tells what reached the server. */
    CuttableProxy(int targetPort, boolean keepWhatClientsSend) throws IOException {
        sent = keepWhatClientsSend ? new java.io.ByteArrayOutputStream() : null;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    if (down) {
                        closeQuietly(client); // as a database that is not there: the connection fails at once
                        continue;
                    }
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    connections.put(server.getLocalPort(), new Socket[]{client, server});
                    pump(client, server, sent);
                    pump(server, client, null);
                } catch (IOException e) {
                    // closed, or PostgreSQL refused: the client sees its connection fail
                }
            }
        }, "cuttable-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Whether the backend on {@code clientPort} (as PostgreSQL names it) is reached through this proxy. */
    boolean carries(int clientPort) {
        return connections.containsKey(clientPort);
    }

    /** Drops the connection of the backend on {@code clientPort}: both ends see it closed. */
    void cut(int clientPort) {
        Socket[] pair = connections.remove(clientPort);
        if (pair != null) {
            closeQuietly(pair[0]);
            closeQuietly(pair[1]);
        }
    }

    /** Cuts every connection and refuses new ones until {@link #up()}: the database is gone, as far as its clients see. */
    void down() {
        down = true;
        connections.keySet().forEach(this::cut);
    }

    /** Lets connections through again. */
    void up() {
        down = false;
    }

    /** What the clients have sent the server so far, as text (the protocol's statements are UTF-8). */
    String sent() {
        synchronized (sent) {
            return sent.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void pump(Socket from, Socket to, java.io.ByteArrayOutputStream record) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (record != null) {
                        synchronized (record) {
                            record.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or closed by either side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cuttable-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        connections.keySet().forEach(this::cut);
    }
}
