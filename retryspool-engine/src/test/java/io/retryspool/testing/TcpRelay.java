package io.retryspool.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Relays TCP connections from a local port to a server, and can cut them: {@link #cut()} drops every open
 * connection and refuses new ones, as a database outage does; {@link #restore()} accepts connections again on
 * the same port.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    private TcpRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = bind(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    /**
     * Starts relaying from a free local port to a server.
     *
     * @param host the server's host
     * @param port the server's port
     * @return the running relay
     * @throws IOException if no local port can be bound
     */
    public static TcpRelay to(String host, int port) throws IOException {
        return new TcpRelay(new InetSocketAddress(host, port));
    }

    /** The local port that relays to the server. */
    public int port() {
        return port;
    }

    /** Drops every relayed connection and refuses new ones. */
    public synchronized void cut() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Accepts connections again on the same port. */
    public synchronized void restore() throws IOException {
        if (server.isClosed()) {
            server = bind(port);
            accept(server);
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket listening) {
        daemon("tcp-relay-accept-" + port, () -> {
            while (!listening.isClosed()) {
                try {
                    relay(listening.accept());
                } catch (IOException e) {
                    // the server socket was closed: the loop ends
                }
            }
        });
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        sockets.add(client);
        sockets.add(upstream);
        if (server.isClosed()) { // cut while this connection was being accepted
            closeQuietly(client);
            return;
        }
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        daemon("tcp-relay-up-" + port, () -> pipe(client, upstream));
        daemon("tcp-relay-down-" + port, () -> pipe(upstream, client));
    }

    private void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // cut or closed by either side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
