using System.Buffers.Binary;
using System.Net.Sockets;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Testing.Processes;

namespace SagaDemo.System.Tests.Processes;

/// <summary>
/// The mock broker accept()s without CLOEXEC: a child process started while a client is connected would inherit the
/// broker's end of that connection and keep it open after the broker goes down. Children the tests start must not.
/// </summary>
public sealed class InheritedSocketTests
{
    [Fact]
    public async Task A_child_started_while_a_client_is_connected_does_not_keep_the_connection_open_when_the_broker_goes_down()
    {
        using var cluster = new MockKafkaCluster();
        var address = cluster.BootstrapServers.Split(':');
        using var client = new TcpClient();
        await client.ConnectAsync(address[0], int.Parse(address[1]));
        var stream = client.GetStream();
        // An answered request proves the broker has accepted the connection (its socket exists in this process).
        await stream.WriteAsync(ApiVersionsRequest());
        var header = new byte[4];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadInt32BigEndian(header)]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        using var child = new ChildProcess("sleep", "sleep", ["60"]);
        child.Start();
        cluster.SetBrokerDown(1);

        // The broker closed its end: the client reads end-of-stream (or a reset) at once, unless a child holds a copy.
        var closed = ReadUntilClosedAsync(stream);
        Assert.True(await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(10))) == closed,
            $"the connection stayed open after the broker went down, held by the child (pid {child.Id})");
    }

    static async Task ReadUntilClosedAsync(NetworkStream stream)
    {
        try
        {
            while (await stream.ReadAsync(new byte[256]) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the peer: closed as well.
        }
    }

    // Kafka's ApiVersions request, version 0: size, api key 18, api version 0, correlation id 1, null client id.
    static byte[] ApiVersionsRequest() => [0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff];
}
