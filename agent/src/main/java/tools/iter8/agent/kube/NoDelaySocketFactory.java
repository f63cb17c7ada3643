package tools.iter8.agent.kube;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets with {@code TCP_NODELAY}, for the Kubernetes client. OkHttp leaves Nagle's algorithm on, and writes a
 * request whose body does not fit its first 8 KiB buffer segment (an Experiment's status PUT, typically 10 kB) in two
 * writes: the second then waits for the API server to acknowledge the first, which a Linux peer delays by up to
 * 40 ms. Every status write of a reconcile paid that (docs/benchmarks/agent-scale.md: a pass took 99 ms against an
 * API server that answers in microseconds). Go's clients and kube-apiserver itself run with {@code TCP_NODELAY}.
 */
public final class NoDelaySocketFactory extends SocketFactory {
  private final SocketFactory delegate;

  public NoDelaySocketFactory(SocketFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public Socket createSocket() throws IOException {
    return noDelay(delegate.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return noDelay(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return noDelay(delegate.createSocket(address, port, localAddress, localPort));
  }

  private static Socket noDelay(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    return socket;
  }
}
