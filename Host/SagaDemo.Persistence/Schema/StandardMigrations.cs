namespace SagaDemo.Persistence.Schema;

/// <summary>The SQL of the building blocks every service schema can have. All statements are idempotent.</summary>
public static class StandardMigrations
{
    /// <summary><c>inbox</c> (message ids already processed per consumer) and <c>outbox</c> (messages waiting for the relay).</summary>
    public static Migration InboxAndOutbox(int version, string schema)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        return new Migration(version, "inbox and outbox", $$"""
            CREATE TABLE IF NOT EXISTS {{s}}.inbox (
                consumer     text        NOT NULL,
                message_id   uuid        NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, message_id));
            CREATE INDEX IF NOT EXISTS inbox_processed_at_idx ON {{s}}.inbox (processed_at);
            CREATE TABLE IF NOT EXISTS {{s}}.outbox (
                id           bigserial   PRIMARY KEY,
                message_id   uuid        NOT NULL,
                destination  text        NOT NULL,
                message_type text        NOT NULL,
                key          text        NULL,
                headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
                body         jsonb       NOT NULL,
                created_at   timestamptz NOT NULL DEFAULT now());
            """);
    }

    /// <summary>
    /// <c>outbox_parked</c>: rows the relay gave up on (a sink said they can never be delivered), with why, so an operator
    /// sees them (metric <c>sagademo_outbox_parked_total</c>, an error log line) and the rows behind them go on. To send
    /// one again: insert it back into <c>outbox</c> and delete it here.
    /// </summary>
    public static Migration ParkedOutbox(int version, string schema)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        return new Migration(version, "parked outbox rows", $"""
            CREATE TABLE IF NOT EXISTS {s}.outbox_parked (
                id           bigint      PRIMARY KEY,
                message_id   uuid        NOT NULL,
                destination  text        NOT NULL,
                message_type text        NOT NULL,
                key          text        NULL,
                headers      jsonb       NOT NULL,
                body         jsonb       NOT NULL,
                created_at   timestamptz NOT NULL,
                attempts     integer     NOT NULL,
                reason       text        NOT NULL,
                parked_at    timestamptz NOT NULL DEFAULT now());
            """);
    }

    /// <summary>
    /// <c>outbox</c> and <c>outbox_parked</c> keep headers and body as text: the relay sends them on exactly as written,
    /// and jsonb made PostgreSQL parse every row on insert (about 0.5 ms a row under load, the outbox's largest cost).
    /// Rows already there are converted in place (their JSON text, as the relay read it before), so they stay relayable;
    /// cast to jsonb to query them.
    /// </summary>
    public static Migration OutboxAsText(int version, string schema)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        return new Migration(version, "outbox headers and body as text", $$"""
            ALTER TABLE {{s}}.outbox ALTER COLUMN headers DROP DEFAULT,
                ALTER COLUMN headers TYPE text USING headers::text,
                ALTER COLUMN headers SET DEFAULT '{}',
                ALTER COLUMN body TYPE text USING body::text;
            ALTER TABLE {{s}}.outbox_parked ALTER COLUMN headers TYPE text USING headers::text,
                ALTER COLUMN body TYPE text USING body::text;
            """);
    }

    /// <summary>A saga instance table: the instance as a JSON document plus the columns queries need.</summary>
    public static Migration SagaTable(int version, string schema, string table)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        var t = SqlIdentifier.Validate(table, nameof(table));
        return new Migration(version, $"saga table {t}", $"""
            CREATE TABLE IF NOT EXISTS {s}.{t} (
                correlation_id uuid        PRIMARY KEY,
                version        integer     NOT NULL,
                current_state  text        NULL,
                deadline       timestamptz NULL,
                data           jsonb       NOT NULL,
                created_at     timestamptz NOT NULL DEFAULT now(),
                updated_at     timestamptz NOT NULL DEFAULT now());
            CREATE INDEX IF NOT EXISTS {t}_deadline_idx ON {s}.{t} (deadline) WHERE deadline IS NOT NULL;
            """);
    }

    /// <summary>Finds a saga table's terminal instances by age for retention (the waiting ones have a deadline).</summary>
    public static Migration SagaRetentionIndex(int version, string schema, string table)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        var t = SqlIdentifier.Validate(table, nameof(table));
        return new Migration(version, $"retention index of {t}", $"""
            CREATE INDEX IF NOT EXISTS {t}_finished_idx ON {s}.{t} (updated_at) WHERE deadline IS NULL;
            """);
    }
}
