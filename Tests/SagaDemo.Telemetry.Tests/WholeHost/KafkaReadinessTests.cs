using System.Net;
using SagaDemo.Telemetry.Health;
using SagaDemo.Telemetry.Tests.Integration;
using Xunit.Abstractions;

namespace SagaDemo.Telemetry.Tests.WholeHost;

/// <summary>/health/ready of the whole host follows the embedded Kafka broker going down and coming back.</summary>
[Collection(AppsCollection.Name)]
public sealed class KafkaReadinessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ready_while_the_broker_is_up_not_ready_while_it_is_down_ready_again_after()
    {
        await using var factory = new WholeHostFactory();
        using var http = factory.Client(factory.Start());
        var ready = SagaDemoHealth.ReadyPath.TrimStart('/');

        async Task<(bool, string)> Is(HttpStatusCode expected)
        {
            using var response = await http.GetAsync(ready);
            return (response.StatusCode == expected, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var joined = await WholeHostFactory.EventuallyAsync(() => Is(HttpStatusCode.OK), TimeSpan.FromSeconds(30), "ready after start");
        output.WriteLine($"ready {joined.TotalSeconds:F1} s after start");

        factory.Kafka.SetBrokerDown(1);
        var down = await WholeHostFactory.EventuallyAsync(() => Is(HttpStatusCode.ServiceUnavailable), TimeSpan.FromSeconds(15), "503 with the broker down");
        output.WriteLine($"503 {down.TotalSeconds:F1} s after the broker went down");

        factory.Kafka.SetBrokerUp(1);
        var up = await WholeHostFactory.EventuallyAsync(() => Is(HttpStatusCode.OK), TimeSpan.FromSeconds(45), "200 with the broker up again");
        output.WriteLine($"200 {up.TotalSeconds:F1} s after the broker came back");
    }
}
