using System.Text.Json;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// The real Host (every service, embedded Kafka) driven by kcat alone: a plain JSON record without headers on
/// <c>user-create</c> runs the user saga, and kcat reads the answer from <c>user-create-response</c>.
/// </summary>
public sealed class KcatSagaInteropTests(KcatSagaInteropTests.HostFixture host) : IClassFixture<KcatSagaInteropTests.HostFixture>
{
    public sealed class HostFixture : IDisposable
    {
        public SagaDemoAppFactory App { get; } = new();

        public string Bootstrap => App.Bootstrap;

        public void Dispose() => App.Dispose();
    }

    [Theory]
    [InlineData("hans", "completed")]
    [InlineData("mallory", "failed")] // on the default deny list
    public async Task A_headerless_kcat_record_on_user_create_gets_its_answer_on_user_create_response(string name, string status)
    {
        var operationId = Guid.NewGuid();
        Kcat.Run($"-b {host.Bootstrap} -P -t user-create -K \"|\"", TimeSpan.FromSeconds(20),
            $$"""{{operationId}}|{"operationId":"{{operationId}}","name":"{{name}}","email":null}""" + "\n");

        var answer = await ReadAnswerAsync(operationId, TimeSpan.FromSeconds(60));

        Assert.Equal(operationId, answer.GetProperty("operationId").GetGuid());
        Assert.Equal(status, answer.GetProperty("status").GetString());
        if (status == "completed")
        {
            Assert.NotEqual(Guid.Empty, answer.GetProperty("userId").GetGuid());
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("error").ValueKind);
        }
        else
            Assert.StartsWith("approval failed", answer.GetProperty("error").GetString());
    }

    /// <summary>Reads the whole response topic with kcat until a record with the operation's key shows up.</summary>
    async Task<JsonElement> ReadAnswerAsync(Guid operationId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var output = "";
        while (DateTime.UtcNow < deadline)
        {
            (_, output) = Kcat.TryRun($"-b {host.Bootstrap} -C -t user-create-response -o beginning -e -q -f \"%k|%s\\n\"",
                TimeSpan.FromSeconds(20));
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(operationId + "|", StringComparison.Ordinal));
            if (line is not null)
                return JsonDocument.Parse(line[(line.IndexOf('|') + 1)..]).RootElement.Clone();
            await Task.Delay(250);
        }
        throw new TimeoutException($"No user-create-response record keyed {operationId} within {timeout}; kcat read:\n{output}");
    }
}
