using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Statistics;

/// <summary>The statistics service's own table: one row per counted (order, lifecycle kind).</summary>
public static class StatisticsTables
{
    public static Migration CountedEvents(int version, string schema) => new(version, "counted order events", $"""
        CREATE TABLE IF NOT EXISTS {SqlIdentifier.Validate(schema, nameof(schema))}.counted_events (
            order_id   uuid        NOT NULL,
            kind       text        NOT NULL,
            amount     numeric     NULL,
            counted_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (order_id, kind));
        """);
}
