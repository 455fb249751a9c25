using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Payment;
using SagaDemo.Persistence.Statistics;
using SagaDemo.Persistence.Users;
using SagaDemo.Persistence.Warehouse;

namespace SagaDemo.Persistence.Schema;

/// <summary>
/// The schema of every service (one schema per service, so each could move to its own database; no
/// service reads another's). Each has inbox and outbox at version 1, then its own tables.
/// </summary>
public static class SagaDemoSchemas
{
    public const string UserRegistrationSagaTable = "user_registration_saga";
    public const string OrderSagaTable = "order_saga";

    public static SchemaDefinition Operations { get; } = ForService("operations")
        .With(OperationTables.Operations(2, "operations"), OperationTables.OwnerAndIdempotencyKey(3, "operations"),
            StandardMigrations.ParkedOutbox(4, "operations"), OperationTables.RefusedByOwner(5, "operations"),
            OperationTables.FinishedByAge(6, "operations"), ConsoleTables.RecentOperations(7, "operations"),
            ConsoleTables.DeadLetterDecisions(8, "operations"), StandardMigrations.OutboxAsText(9, "operations"));

    /// <summary>The user saga and the user store (both role <c>users</c>).</summary>
    public static SchemaDefinition Users { get; } = new("users",
    [
        StandardMigrations.InboxAndOutbox(1, "users"),
        StandardMigrations.SagaTable(2, "users", UserRegistrationSagaTable),
        UserTables.Users(3, "users"),
        StandardMigrations.ParkedOutbox(4, "users"),
        UserTables.Owner(5, "users"),
        StandardMigrations.SagaRetentionIndex(6, "users", UserRegistrationSagaTable),
        StandardMigrations.OutboxAsText(7, "users"),
    ]);

    public static SchemaDefinition Orders { get; } = new("orders",
    [
        StandardMigrations.InboxAndOutbox(1, "orders"),
        StandardMigrations.SagaTable(2, "orders", OrderSagaTable),
        StandardMigrations.ParkedOutbox(3, "orders"),
        StandardMigrations.SagaRetentionIndex(4, "orders", OrderSagaTable),
        StandardMigrations.OutboxAsText(5, "orders"),
    ]);

    public static SchemaDefinition Warehouse { get; } = ForService("warehouse")
        .With(WarehouseTables.StockAndReservations(2, "warehouse"), StandardMigrations.ParkedOutbox(3, "warehouse"),
            StandardMigrations.OutboxAsText(4, "warehouse"));

    public static SchemaDefinition Payment { get; } = ForService("payment")
        .With(PaymentTables.Payments(2, "payment"), StandardMigrations.ParkedOutbox(3, "payment"),
            StandardMigrations.OutboxAsText(4, "payment"));

    public static SchemaDefinition Statistics { get; } = ForService("statistics")
        .With(StatisticsTables.CountedEvents(2, "statistics"), StandardMigrations.ParkedOutbox(3, "statistics"),
            StandardMigrations.OutboxAsText(4, "statistics"));

    public static IReadOnlyList<SchemaDefinition> All { get; } = [Operations, Users, Orders, Warehouse, Payment, Statistics];

    /// <summary>A service without a saga: inbox and outbox only (its own tables and the parked outbox follow).</summary>
    public static SchemaDefinition ForService(string schema) => new(schema, [StandardMigrations.InboxAndOutbox(1, schema)]);

    /// <summary>Inbox, outbox and parked outbox: what an outbox relay needs (tests of the relay alone).</summary>
    public static SchemaDefinition RelayOnly(string schema) => ForService(schema).With(StandardMigrations.ParkedOutbox(2, schema), StandardMigrations.OutboxAsText(3, schema));
}
