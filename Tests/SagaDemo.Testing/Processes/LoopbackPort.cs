using System.Net;
using System.Net.Sockets;

namespace SagaDemo.Testing.Processes;

public static class LoopbackPort
{
    /// <summary>A port free on 127.0.0.1 right now (the OS picks it; a race with another binder is possible but rare).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
