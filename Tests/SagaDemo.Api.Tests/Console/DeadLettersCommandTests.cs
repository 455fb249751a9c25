using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Host.Commands;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Api.Tests.Api;
using SagaDemo.Testing;

namespace SagaDemo.Api.Tests.Console;

/// <summary><c>SagaDemo.Host dead-letters</c> against the whole host: list, replay once, discard refused after a replay.</summary>
public sealed class DeadLettersCommandTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    [Fact]
    public async Task Lists_replays_once_and_refuses_a_discard_after_the_replay()
    {
        var marker = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        var bootstrap = factory.Services.GetRequiredService<KafkaBootstrap>().BootstrapServers;
        await ConsoleKafka.ProduceAsync(bootstrap, "order-create", key, $"not json {marker}");

        var line = await Eventually.ValueAsync(async () => (await RunAsync("list", "--topic=order-create.dead-letter")).Output
            .Split('\n').FirstOrDefault(l => l.Contains("undecided", StringComparison.Ordinal)), l => l is not null, TimeSpan.FromSeconds(20));
        Assert.NotNull(line);
        var record = line.Split('\t')[0];
        Assert.Matches(@"^order-create\.dead-letter/0@\d+$", record);
        Assert.Contains("from order-create/0@", line);

        var first = await RunAsync("replay", record);
        Assert.Equal((DeadLettersCommand.Succeeded, ""), (first.Exit, first.Errors));
        Assert.Matches(@": replay applied \(by anonymous at .* to order-create/0@\d+\)", first.Output);
        var second = await RunAsync("replay", record);
        Assert.Contains("replay already-applied", second.Output);
        var discard = await RunAsync("discard", record);
        Assert.Equal(DeadLettersCommand.Failed, discard.Exit);
        Assert.Contains("409", discard.Errors);

        Assert.Contains($"{record}\t", (await RunAsync("list", "--topic=order-create.dead-letter")).Output);
        Assert.Equal(DeadLettersCommand.Usage, (await RunAsync("replay", "nonsense")).Exit);
        Assert.Equal(DeadLettersCommand.Failed, (await RunAsync("list", "--topic=no-such-topic")).Exit);
    }

    async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await DeadLettersCommand.RunAsync([DeadLettersCommand.Name, .. args], _ => factory.CreateClient(), output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}
