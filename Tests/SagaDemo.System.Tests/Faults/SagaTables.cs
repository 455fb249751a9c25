using Npgsql;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.System.Tests.Faults;

/// <summary>Saga instances as PostgreSQL holds them: how cases follow sagas they started without the API.</summary>
public static class SagaTables
{
    public const string Orders = $"orders.{SagaDemoSchemas.OrderSagaTable}";
    public const string Users = $"users.{SagaDemoSchemas.UserRegistrationSagaTable}";

    /// <summary>The instance's state, or null when there is no instance.</summary>
    public static async Task<string?> StateAsync(string database, string table, Guid id)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT current_state FROM {table} WHERE correlation_id = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = id } },
        };
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>
    /// Waits until the instance is in a final state and maps it to the operation status a client would see
    /// (null at the deadline).
    /// </summary>
    public static async Task<string?> FinalAsync(string database, string table, Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var final = await StateAsync(database, table, id) switch
            {
                "Completed" => "completed",
                "Cancelled" or "Rejected" or "TimedOut" => "failed",
                _ => null,
            };
            if (final is not null || DateTime.UtcNow > deadline)
                return final;
            await Task.Delay(200);
        }
    }
}
