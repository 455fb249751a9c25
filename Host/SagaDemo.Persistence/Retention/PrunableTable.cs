using SagaDemo.Persistence.Schema;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Persistence.Retention;

/// <summary>
/// A table whose rows are bookkeeping of finished work: a row may go once <paramref name="AgeColumn"/> is older than
/// the retention period and <paramref name="Finished"/> holds (SQL over the row; "true" when every row qualifies).
/// </summary>
public sealed record PrunableTable(string Schema, string Table, string AgeColumn, string Finished)
{
    public string QualifiedName => $"{SqlIdentifier.Validate(Schema, nameof(Schema))}.{SqlIdentifier.Validate(Table, nameof(Table))}";

    /// <summary>What retention prunes in a service schema. Business data (users, stock, payments, statistics) stays.</summary>
    public static IReadOnlyList<PrunableTable> Of(string schema)
    {
        List<PrunableTable> tables =
        [
            new(schema, "inbox", "processed_at", "true"),
            new(schema, "outbox_parked", "parked_at", "true"),
        ];
        if (schema == SagaDemoSchemas.Operations.Name)
            // Idempotency keys live on the operation row and go with it.
            tables.Add(new(schema, "operations", "updated_at", "status <> 'pending'"));
        if (schema == SagaDemoSchemas.Users.Name)
            tables.Add(Saga(schema, SagaDemoSchemas.UserRegistrationSagaTable, nameof(UserRegistrationStateMachine.Completed),
                nameof(UserRegistrationStateMachine.Rejected), nameof(UserRegistrationStateMachine.TimedOut)));
        if (schema == SagaDemoSchemas.Orders.Name)
            tables.Add(Saga(schema, SagaDemoSchemas.OrderSagaTable, nameof(OrderStateMachine.Completed), nameof(OrderStateMachine.Cancelled)));
        return tables;
    }

    // Terminal instances only: a waiting one (it has a deadline) is live work, however old. The state names are the
    // state machines' own (nameof), never input, so they can be spliced in.
    static PrunableTable Saga(string schema, string table, params string[] terminalStates) =>
        new(schema, table, "updated_at",
            $"deadline IS NULL AND current_state IN ({string.Join(", ", terminalStates.Select(s => $"'{s}'"))})");
}
