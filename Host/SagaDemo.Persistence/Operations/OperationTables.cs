using SagaDemo.Persistence.Schema;
using SagaDemo.Services.Operations;

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

    /// <summary>
    /// Who created each operation and its idempotency key. Anonymous callers (access control off) own
    /// '' rather than NULL, so their keys are unique among themselves too (NULLs never collide in an index).
    /// </summary>
    public static Migration OwnerAndIdempotencyKey(int version, string schema)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        return new Migration(version, "operation owner and idempotency key", $"""
            ALTER TABLE {s}.operations ADD COLUMN IF NOT EXISTS owner text NOT NULL DEFAULT '';
            ALTER TABLE {s}.operations ADD COLUMN IF NOT EXISTS idempotency_key text NULL;
            ALTER TABLE {s}.operations ADD COLUMN IF NOT EXISTS request_hash text NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS operations_owner_idempotency_key_idx
                ON {s}.operations (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
            """);
    }

    /// <summary>Finds a client's refused operations (types the API does not run) oldest first, to keep only the newest.</summary>
    public static Migration RefusedByOwner(int version, string schema)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        return new Migration(version, "refused operations by owner", $"""
            CREATE INDEX IF NOT EXISTS operations_refused_owner_idx ON {s}.operations (owner, created_at, id)
                WHERE {RefusedCondition};
            """);
    }

    /// <summary>Finds finished operations by age for retention.</summary>
    public static Migration FinishedByAge(int version, string schema)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        return new Migration(version, "finished operations by age", $"""
            CREATE INDEX IF NOT EXISTS operations_finished_idx ON {s}.operations (updated_at) WHERE status <> 'pending';
            """);
    }

    /// <summary>The rows of operations the API refused at once (unknown types): the same text as the index's predicate.</summary>
    public const string RefusedCondition = $"type NOT IN ('{OperationTypes.UserCreate}', '{OperationTypes.OrderCreate}')";
}
