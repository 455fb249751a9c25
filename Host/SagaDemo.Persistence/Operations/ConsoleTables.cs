using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Operations;

/// <summary>What the operations console keeps and reads in the operations service's schema.</summary>
public static class ConsoleTables
{
    /// <summary>The console lists operations newest first.</summary>
    public static Migration RecentOperations(int version, string schema) => new(version, "operations by creation time", $"""
        CREATE INDEX IF NOT EXISTS operations_created_at_idx
            ON {SqlIdentifier.Validate(schema, nameof(schema))}.operations (created_at DESC, id DESC);
        """);

    /// <summary>
    /// What was decided about each dead-letter record (replayed or discarded), by whom and when: one row per record, so
    /// a second decision about it finds the first. <c>replayed_to</c> is where the replay landed.
    /// </summary>
    public static Migration DeadLetterDecisions(int version, string schema) => new(version, "dead-letter decisions", $"""
        CREATE TABLE IF NOT EXISTS {SqlIdentifier.Validate(schema, nameof(schema))}.dead_letter_decisions (
            topic       text        NOT NULL,
            part        integer     NOT NULL,
            record      bigint      NOT NULL,
            action      text        NOT NULL,
            decided_by  text        NOT NULL,
            decided_at  timestamptz NOT NULL,
            replayed_to text        NULL,
            PRIMARY KEY (topic, part, record));
        """);
}
