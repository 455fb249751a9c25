using Confluent.Kafka;

namespace SagaDemo.Kafka.Configuration;

/// <summary>Turns <see cref="KafkaOptions"/> into Confluent client configs; security applies to every client.</summary>
public static class KafkaClientConfigs
{
    public static ProducerConfig Producer(KafkaOptions options, string bootstrapServers) =>
        Apply(new ProducerConfig
        {
            // Idempotence implies acks=all and in-order retries: a retried batch is never written twice.
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = options.ProducerLinger.TotalMilliseconds,
            MessageTimeoutMs = 120_000,
            StatisticsIntervalMs = (int)options.StatisticsInterval.TotalMilliseconds,
        }, options, bootstrapServers, "producer");

    // The mock never wakes a waiting fetch: a record that arrives meanwhile waits the rest of it (see KafkaOptions.FetchWaitMax).
    public static readonly TimeSpan EmbeddedFetchWaitMax = TimeSpan.FromMilliseconds(2);

    public static ConsumerConfig Consumer(KafkaOptions options, string bootstrapServers, string group, bool embeddedCluster = false)
    {
        var config = new ConsumerConfig
        {
            GroupId = group,
            // Only offsets whose records finished processing are stored (by the rider); librdkafka commits what is
            // stored in the background, on revocation and on close, so no commit ever blocks the poll thread.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = (int)options.For(group).CheckpointInterval.TotalMilliseconds,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = options.FetchWaitMax is { } wait ? (int)wait.TotalMilliseconds
                : embeddedCluster ? (int)EmbeddedFetchWaitMax.TotalMilliseconds : null,
            MaxPollIntervalMs = 300_000,
            StatisticsIntervalMs = (int)options.StatisticsInterval.TotalMilliseconds,
            // Memory bounded in bytes: what one fetch brings and what waits in librdkafka's queue (see KafkaOptions).
            FetchMaxBytes = FetchMaxBytes(options),
            QueuedMaxMessagesKbytes = Math.Max(options.ConsumerQueueBytes, FetchMaxBytes(options)) / 1024,
        };
        if (options.UsesConsumerGroupProtocol)
        {
            // KIP-848: the coordinator assigns and revokes partitions incrementally; the rider drains and commits only
            // what is revoked. librdkafka refuses session timeout, heartbeat interval and assignor here: the broker's.
            config.GroupProtocol = GroupProtocol.Consumer;
        }
        else
        {
            // Cooperative rebalancing is not used: eager revocation makes "drain, then commit" exact.
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range;
            config.SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds;
            config.HeartbeatIntervalMs = (int)Math.Min(1_000, options.SessionTimeout.TotalMilliseconds / 3);
        }
        return Apply(config, options, bootstrapServers, group);
    }

    static int FetchMaxBytes(KafkaOptions options) => Math.Max(options.FetchMaxBytes, 2 * options.MaxRecordBytes);

    public static AdminClientConfig Admin(KafkaOptions options, string bootstrapServers) =>
        Apply(new AdminClientConfig(), options, bootstrapServers, "admin");

    /// <summary>
    /// Confluent's enum names (SaslSsl) or Kafka's own spelling (SASL_SSL, what the Helm chart and most Kafka
    /// documentation use), any case; null for anything else, numbers included.
    /// </summary>
    public static SecurityProtocol? ParseSecurityProtocol(string? value)
    {
        var name = value?.Replace("_", "", StringComparison.Ordinal);
        return Enum.GetNames<SecurityProtocol>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } match
            ? Enum.Parse<SecurityProtocol>(match)
            : null;
    }

    static T Apply<T>(T config, KafkaOptions options, string bootstrapServers, string role) where T : ClientConfig
    {
        // Every client built from these configs runs on the pinned librdkafka, whatever was loaded first.
        Native.NativeLibraryLocator.EnsureLoaded();
        config.BootstrapServers = bootstrapServers;
        config.ClientId = $"{options.ClientId}-{role}";
        config.SecurityProtocol = ParseSecurityProtocol(options.SecurityProtocol)
            ?? throw new ArgumentException($"Unsupported Kafka:SecurityProtocol {options.SecurityProtocol}");
        if (options.SaslMechanism is not null)
            config.SaslMechanism = options.SaslMechanism.ToUpperInvariant() switch
            {
                "PLAIN" => SaslMechanism.Plain,
                "SCRAM-SHA-256" => SaslMechanism.ScramSha256,
                "SCRAM-SHA-512" => SaslMechanism.ScramSha512,
                var other => throw new ArgumentException($"Unsupported Kafka:SaslMechanism {other}"),
            };
        config.SaslUsername = options.SaslUsername;
        config.SaslPassword = options.SaslPassword;
        config.SslCaLocation = options.SslCaLocation;
        if (!string.IsNullOrWhiteSpace(options.Debug))
            config.Debug = options.Debug;
        return config;
    }
}
