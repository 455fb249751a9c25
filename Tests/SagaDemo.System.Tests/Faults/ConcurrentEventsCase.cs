using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// Many copies of one saga's first event at once. Under the wire contract every copy carries the saga's correlation
/// id as key, so they share a partition and a lane and the endpoint applies them one after another: one instance,
/// created once. Copies under other keys would land on other partitions and race for the instance; the rider
/// refuses them (dead-letter, reason: the key is not the correlation id), because a foreign key also breaks the
/// order of one operation's records. Racing writers of one instance are covered where they can still meet, in the
/// repository (Persistence.Tests SagaConcurrencyTests: 50 concurrent updates of one instance, none lost).
/// </summary>
public static class ConcurrentEventsCase
{
    const string Name = "concurrent events, one saga";
    const int Copies = 20;
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static FaultCase Create() => new(Name,
        $"{Copies} copies each of one new order's OrderSubmitted and one new user's UserCreateRequested, produced at once " +
        $"under the saga's own key, and {Copies} more of each under foreign keys, which the contract refuses.",
        async (system, ledger) =>
        {
            var order = new TrackedOperation(Guid.NewGuid(), OperationKind.Order, new Dictionary<string, int> { ["book"] = 1 }, ViaApi: false);
            var user = new TrackedOperation(Guid.NewGuid(), OperationKind.User, new Dictionary<string, int>(), ViaApi: false);
            var conflictsBefore = await ConflictsAsync(system);
            var submitted = new OrderSubmitted(order.Id, "c-concurrent", [new OrderItem("book", 1)], DateTimeOffset.UtcNow);
            var requested = new UserCreateRequested(user.Id, "concurrent-user", null);
            using (var feed = system.Feed())
            {
                for (var i = 0; i < Copies; i++)
                {
                    // No message-id header: each copy gets its own id, so no inbox can take it for a redelivery.
                    feed.Produce(Topics.OrderCreate, order.Id.ToString(), submitted);
                    feed.Produce(Topics.UserCreate, user.Id.ToString(), requested);
                    feed.Produce(Topics.OrderCreate, Guid.NewGuid().ToString(), submitted);
                    feed.Produce(Topics.UserCreate, Guid.NewGuid().ToString(), requested);
                }
                await feed.FlushAsync();
            }
            ledger.Record(order, await SagaTables.FinalAsync(system.Database, SagaTables.Orders, order.Id, Timeout));
            ledger.Record(user, await SagaTables.FinalAsync(system.Database, SagaTables.Users, user.Id, Timeout));

            var problems = new List<string>();
            if (await Quiescence.WaitAsync(system, LoadCase.QuietTimeout) is { } busy)
                problems.Add(busy);
            var ids = new[] { order.Id.ToString(), user.Id.ToString() };
            var dead = KafkaProbe.DeadLetters(system.Bootstrap).Where(d => ids.Any(d.Value.Contains)).ToList();
            problems.AddRange(dead.Where(d => ids.Contains(d.Key) || d.Header(KafkaHeaderNames.DeadLetterError)?.Contains("is not the") != true)
                .Select(d => $"a copy on {d.Header(KafkaHeaderNames.DeadLetterTopic)} was dead-lettered: {d.Header(KafkaHeaderNames.DeadLetterError)}"));
            if (dead.Count != 2 * Copies)
                problems.Add($"{dead.Count} copies dead-lettered, expected the {2 * Copies} under foreign keys");
            var conflicts = await ConflictsAsync(system) - conflictsBefore;

            return await ledger.CheckAsync(system, Name, [order, user], 2, problems,
                $"{Copies} + {Copies} copies under the saga's key: one order saga ({ledger.FinalOf(order.Id)}), one user saga ({ledger.FinalOf(user.Id)}), " +
                $"{conflicts:0} optimistic-concurrency conflicts retried; {dead.Count} copies under foreign keys dead-lettered " +
                $"(\"{dead.FirstOrDefault()?.Header(KafkaHeaderNames.DeadLetterError)}\")");
        });

    static async Task<double> ConflictsAsync(FaultSystem system) =>
        await MetricsProbe.SumAsync(system["orders"], "sagademo_saga_conflicts_total")
        + await MetricsProbe.SumAsync(system["users"], "sagademo_saga_conflicts_total");
}
