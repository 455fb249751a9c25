using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Users;

/// <summary>The user service's own table (next to the user saga's in the same schema).</summary>
public static class UserTables
{
    public static Migration Users(int version, string schema) => new(version, "users", $"""
        CREATE TABLE IF NOT EXISTS {SqlIdentifier.Validate(schema, nameof(schema))}.users (
            id           uuid        PRIMARY KEY,
            name         text        NOT NULL,
            email        text        NULL,
            created_at   timestamptz NOT NULL,
            operation_id uuid        NOT NULL);
        """);

    /// <summary>The API client whose operation created the user; '' for a user created by a plain Kafka client.</summary>
    public static Migration Owner(int version, string schema) => new(version, "user owner", $"""
        ALTER TABLE {SqlIdentifier.Validate(schema, nameof(schema))}.users ADD COLUMN IF NOT EXISTS owner text NOT NULL DEFAULT '';
        """);
}
