namespace SagaDemo.Persistence.Schema;

/// <summary>
/// The schema of every service (one schema per service, so each could move to its own database).
/// Services append their own tables with <see cref="SchemaDefinition.With"/> at versions above the ones here.
/// </summary>
public static class SagaDemoSchemas
{
    public const string UserRegistrationSagaTable = "user_registration_saga";
    public const string OrderSagaTable = "order_saga";

    public static SchemaDefinition Users { get; } = new("users",
    [
        StandardMigrations.InboxAndOutbox(1, "users"),
        StandardMigrations.SagaTable(2, "users", UserRegistrationSagaTable),
    ]);

    public static SchemaDefinition Orders { get; } = new("orders",
    [
        StandardMigrations.InboxAndOutbox(1, "orders"),
        StandardMigrations.SagaTable(2, "orders", OrderSagaTable),
    ]);

    /// <summary>A service without a saga: inbox and outbox only.</summary>
    public static SchemaDefinition ForService(string schema) => new(schema, [StandardMigrations.InboxAndOutbox(1, schema)]);
}
