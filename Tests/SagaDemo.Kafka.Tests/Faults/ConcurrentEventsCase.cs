using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Tests.Faults;

/// <summary>
/// Many copies of one saga's first event at once. Each copy goes under its own record key, so the copies land on
/// different partitions and the saga endpoint handles them side by side (same-key records would queue in one lane):
/// they race to create and update one instance, and the losers of each optimistic-concurrency race retry.
/// </summary>
public static class ConcurrentEventsCase
{
    const string Name = "concurrent events, one saga";
    const int Copies = 20;
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static FaultCase Create() => new(Name,
        $"{Copies} copies each of one new order's OrderSubmitted and one new user's UserCreateRequested, produced at once " +
        "under different record keys, so the saga endpoints handle the copies of each in parallel.",
        async (system, ledger) =>
        {
            var order = new TrackedOperation(Guid.NewGuid(), OperationKind.Order, new Dictionary<string, int> { ["book"] = 1 }, ViaApi: false);
            var user = new TrackedOperation(Guid.NewGuid(), OperationKind.User, new Dictionary<string, int>(), ViaApi: false);
            var conflictsBefore = await ConflictsAsync(system);
            var submitted = new OrderSubmitted(order.Id, "c-concurrent", [new OrderItem("book", 1)], DateTimeOffset.UtcNow);
            var requested = new UserCreateRequested(user.Id, "concurrent-user", null);
            using (var feed = new RecordFeed(system.Bootstrap))
            {
                for (var i = 0; i < Copies; i++)
                {
                    // No message-id header: each copy gets its own id, so no inbox can take it for a redelivery.
                    feed.Produce(Topics.OrderCreate, Guid.NewGuid().ToString(), submitted);
                    feed.Produce(Topics.UserCreate, Guid.NewGuid().ToString(), requested);
                }
                var partitions = (await feed.FlushAsync()).Select(r => r.TopicPartition).Distinct().Count();
                if (partitions < 4)
                    throw new InvalidOperationException($"{Copies * 2} random keys landed on only {partitions} partitions");
            }
            ledger.Record(order, await SagaTables.FinalAsync(system.Database, SagaTables.Orders, order.Id, Timeout));
            ledger.Record(user, await SagaTables.FinalAsync(system.Database, SagaTables.Users, user.Id, Timeout));

            var problems = new List<string>();
            if (await Quiescence.WaitAsync(system, LoadCase.QuietTimeout) is { } busy)
                problems.Add(busy);
            var ids = new[] { order.Id.ToString(), user.Id.ToString() };
            var dead = KafkaProbe.DeadLetters(system.Bootstrap).Where(d => ids.Any(d.Value.Contains)).ToList();
            problems.AddRange(dead.Select(d => $"a copy on {d.Header(KafkaHeaderNames.DeadLetterTopic)} was dead-lettered: {d.Header(KafkaHeaderNames.DeadLetterError)}"));
            var conflicts = await ConflictsAsync(system) - conflictsBefore;

            return await ledger.CheckAsync(system, Name, [order, user], 2, problems,
                $"{Copies} + {Copies} copies: one order saga ({ledger.FinalOf(order.Id)}), one user saga ({ledger.FinalOf(user.Id)}), " +
                $"{conflicts:0} optimistic-concurrency conflicts retried, {dead.Count} copies dead-lettered");
        });

    static async Task<double> ConflictsAsync(FaultSystem system) =>
        await MetricsProbe.SumAsync(system["orders"], "sagademo_saga_conflicts_total")
        + await MetricsProbe.SumAsync(system["users"], "sagademo_saga_conflicts_total");
}
