using System.Text.Json;
using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Kafka.Topology;
using SagaDemo.Services.Warehouse;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// Replies out of turn. What the state machines do with them (Sagas/): a reply for a saga that does not exist is
/// discarded without creating one; a reply the saga's state does not expect (too early, too late, for a finished
/// saga) is acknowledged and ignored. Neither changes anything. A command the warehouse cannot carry out (ship an
/// order never reserved) is retried and then dead-lettered with its reason.
/// </summary>
public static class OutOfOrderCase
{
    const string Name = "out-of-order delivery";
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    const decimal EarlyAmount = 999.99m;

    public static FaultCase Create() => new(Name,
        "Replies produced out of turn with a plain Confluent producer: a PaymentCharged for an order before the order is " +
        "submitted, late warehouse and payment replies for a completed order, approval replies reversing a finished user " +
        "operation either way, a UserStored for an unknown operation, and a ShipOrder for an order never reserved.",
        async (system, ledger) =>
        {
            var requests = new List<OperationRequest> { Workload.User(0), Workload.User(1), Workload.Order(0), Workload.Order(1) };
            var answers = new AnswerTally();
            var accepted = await LoadCase.SendAsync(system, requests, answers);
            var settled = await LoadCase.SettleAndCheckAsync(system, ledger, Name, accepted, requests.Count, answers);
            if (!settled.Passed)
                return settled;
            var rejectedUser = accepted.Single(a => a.Kind == OperationKind.User && ledger.FinalOf(a.Id) == "failed"); // mallory
            var completedUser = accepted.Single(a => a.Kind == OperationKind.User && ledger.FinalOf(a.Id) == "completed");
            var completedOrder = accepted.First(a => a.Kind == OperationKind.Order && ledger.FinalOf(a.Id) == "completed");
            var before = await OperationSnapshot.TakeAsync(system, accepted);
            var problems = new List<string>();
            var all = new List<TrackedOperation>(accepted);

            // 1. A payment reply before its order exists: handled (committed past) and discarded, no instance created.
            var early = new TrackedOperation(Guid.NewGuid(), OperationKind.Order, new Dictionary<string, int> { ["apple"] = 1 }, ViaApi: false);
            using var feed = system.Feed();
            feed.Produce(Topics.PaymentEvent, early.Id.ToString(), new PaymentCharged(early.Id, EarlyAmount));
            var earlyRecord = (await feed.FlushAsync()).Single();
            if (!await KafkaProbe.HandledAsync(system.Bootstrap, earlyRecord, Timeout))
                problems.Add("the early PaymentCharged was never handled");
            if (await SagaTables.StateAsync(system.Database, SagaTables.Orders, early.Id) is { } created)
                problems.Add($"the early PaymentCharged created an order saga in state {created}");
            // Then the order itself: it must run its normal course and be charged by the payment service, once.
            feed.Produce(Topics.OrderCreate, early.Id.ToString(), new OrderSubmitted(early.Id, "c-early", [new OrderItem("apple", 1)], DateTimeOffset.UtcNow));
            await feed.FlushAsync();
            ledger.Record(early, await SagaTables.FinalAsync(system.Database, SagaTables.Orders, early.Id, Timeout));
            all.Add(early);
            var charged = await ChargedAmountAsync(system.Database, early.Id);
            if (charged != 0.50m)
                problems.Add($"order submitted after an early PaymentCharged({EarlyAmount}) was charged {charged?.ToString() ?? "nothing"}, not 0.50");

            // 2. Late replies for finished sagas: acknowledged, ignored.
            var userId = JsonDocument.Parse(before[completedUser.Id]).RootElement.GetProperty("result").GetProperty("userId").GetGuid();
            var unknownOperation = Guid.NewGuid();
            var neverReserved = Guid.NewGuid();
            var o = completedOrder.Id;
            feed.Produce(Topics.WarehouseEvent, o.ToString(), new StockReleased(o));
            feed.Produce(Topics.WarehouseEvent, o.ToString(), new StockUnavailable(o, "late"));
            feed.Produce(Topics.PaymentEvent, o.ToString(), new PaymentDeclined(o, "late"));
            feed.Produce(Topics.UserApproveResponse, completedUser.Id.ToString(), new UserApprovalCompleted(completedUser.Id, userId, false, "late"));
            feed.Produce(Topics.UserApproveResponse, rejectedUser.Id.ToString(), new UserApprovalCompleted(rejectedUser.Id, Guid.NewGuid(), true, null));
            feed.Produce(Topics.UserStoreResponse, rejectedUser.Id.ToString(), new UserStored(rejectedUser.Id, Guid.NewGuid()));
            // 3. A reply for an operation that never existed: discarded.
            feed.Produce(Topics.UserStoreResponse, unknownOperation.ToString(), new UserStored(unknownOperation, Guid.NewGuid()));
            // 4. A command out of turn the warehouse cannot carry out: dead-lettered with its reason.
            feed.Produce(Topics.WarehouseCommand, neverReserved.ToString(), new ShipOrder(neverReserved));
            await feed.FlushAsync();

            if (await Quiescence.WaitAsync(system, LoadCase.QuietTimeout) is { } busy)
                problems.Add(busy);
            problems.AddRange(await before.ChangesAsync(system, "out-of-order replies"));
            if (await SagaTables.StateAsync(system.Database, SagaTables.Users, unknownOperation) is { } phantom)
                problems.Add($"a UserStored for an unknown operation created a user saga in state {phantom}");

            var keys = new HashSet<string> { o.ToString(), completedUser.Id.ToString(), rejectedUser.Id.ToString(), unknownOperation.ToString(), early.Id.ToString(), neverReserved.ToString() };
            var dead = KafkaProbe.DeadLetters(system.Bootstrap).Where(r => r.Key is not null && keys.Contains(r.Key)).ToList();
            var ship = dead.SingleOrDefault(d => d.Key == neverReserved.ToString());
            if (ship is null)
                problems.Add("the ShipOrder for an order never reserved was not dead-lettered");
            else if (ship.Header(KafkaHeaderNames.DeadLetterExceptionType) != typeof(OrderNotReservedException).FullName
                     || ship.Header(KafkaHeaderNames.DeadLetterTopic) != Topics.WarehouseCommand)
                problems.Add($"the ShipOrder was dead-lettered as {ship.Header(KafkaHeaderNames.DeadLetterExceptionType)}: {ship.Header(KafkaHeaderNames.DeadLetterError)}");
            problems.AddRange(dead.Where(d => d != ship)
                .Select(d => $"out-of-order reply on {d.Header(KafkaHeaderNames.DeadLetterTopic)} dead-lettered instead of ignored: {d.Header(KafkaHeaderNames.DeadLetterError)}"));

            return await ledger.CheckAsync(system, Name, all, requests.Count + 1, problems,
                $"early PaymentCharged({EarlyAmount}) discarded, the order then charged {charged} once; 6 late or unknown replies " +
                $"ignored; ShipOrder for an unreserved order dead-lettered: \"{ship?.Header(KafkaHeaderNames.DeadLetterError)}\"");
        });

    static async Task<decimal?> ChargedAmountAsync(string database, Guid orderId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT amount FROM payment.payments WHERE order_id = $1 AND charged", connection)
        {
            Parameters = { new NpgsqlParameter { Value = orderId } },
        };
        return await command.ExecuteScalarAsync() as decimal?;
    }
}
