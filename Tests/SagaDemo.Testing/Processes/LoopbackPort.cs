using System.Net;
using System.Net.Sockets;

namespace SagaDemo.Testing.Processes;

public static class LoopbackPort
{
    // Below Linux's ephemeral range (32768-60999): a port the OS hands out for a port-0 bind or an
    // outgoing connection (the mock Kafka brokers, every HTTP client) can never be one we picked and
    // have not bound yet, which is the race that made a child's later bind fail.
    const int First = 20_000;
    const int Last = 32_000;

    /// <summary>A port free on 127.0.0.1 right now, outside the range the OS assigns by itself.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }
}
