using System.Text.Json;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

public sealed class KcatInteropTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_plain_json_record_from_kcat_is_handled_as_the_topics_type_and_kcat_reads_the_reply()
    {
        var topics = new TestTopics();
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics);
        var id = Guid.NewGuid();

        // No headers at all: the topic's (first) type applies; key and value separated by '|'.
        Kcat.Run($"-b {kafka.Bootstrap} -P -t {topics.Commands} -K \"|\"", TimeSpan.FromSeconds(20),
            $$"""{{id}}|{"operationId":"{{id}}","sequence":42,"payload":"from kcat"}""" + "\n");
        await Poll.UntilAsync(() => host.Log.Has(id, 42), TimeSpan.FromSeconds(20), () => "kcat record not handled");

        // -c 1 without -e: waits for the echo, which the consumer publishes just after recording its effect.
        var output = Kcat.Run($"-b {kafka.Bootstrap} -C -t {topics.Echoes} -o beginning -c 1 -f \"%k|%h|%s\\n\"", TimeSpan.FromSeconds(20));
        var line = output.Split('\n').First(l => l.StartsWith(id.ToString(), StringComparison.Ordinal) || l.Contains("|{"));
        var parts = line.Trim().Split('|', 3);
        Assert.Equal(id.ToString(), parts[0]);
        Assert.Contains("message-type=TestEcho", parts[1]);
        Assert.True(parts[2].StartsWith("{\"", StringComparison.Ordinal) && parts[2].EndsWith("}", StringComparison.Ordinal), output);
        var echo = JsonDocument.Parse(parts[2]).RootElement;
        Assert.Equal(42, echo.GetProperty("sequence").GetInt32());
        Assert.Equal("from kcat", echo.GetProperty("payload").GetString());
    }
}
