using System.Net;
using System.Net.Sockets;

namespace SagaDemo.Telemetry.Tests.Support;

public static class FreePort
{
    /// <summary>A loopback port free right now (for tools that cannot bind port 0 and report it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
