using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Operations;

/// <summary>The operations service's own table.</summary>
public static class OperationTables
{
    // json, not jsonb: the request is shown back to clients (compat envelope "data") exactly as they sent it.
    public static Migration Operations(int version, string schema) => new(version, "operations", $"""
        CREATE TABLE IF NOT EXISTS {SqlIdentifier.Validate(schema, nameof(schema))}.operations (
            id         uuid        PRIMARY KEY,
            type       text        NOT NULL,
            status     text        NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            request    json        NOT NULL,
            result     json        NULL,
            error      text        NULL,
            subject_id uuid        NULL);
        """);
}
