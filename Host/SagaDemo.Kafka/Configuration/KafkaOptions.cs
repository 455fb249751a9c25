namespace SagaDemo.Kafka.Configuration;

/// <summary>Configuration section <c>Kafka</c>. No BootstrapServers means: start the embedded mock cluster.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    public string? BootstrapServers { get; set; }

    /// <summary>Plaintext, Ssl, SaslPlaintext or SaslSsl; Kafka's own spelling (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL) works too.</summary>
    public string SecurityProtocol { get; set; } = "Plaintext";

    /// <summary>PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; required with a Sasl* protocol.</summary>
    public string? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }
    public string? SaslPassword { get; set; }
    public string? SslCaLocation { get; set; }
    public string ClientId { get; set; } = "sagademo";

    /// <summary>
    /// Partitions of topics this app creates when missing. Absent: 6 (as the original demo) on a real cluster and on the
    /// <c>kafka-dev</c> broker, where partitions spread a group over processes; 1 on the in-process embedded cluster,
    /// where one process consumes everything and keyed lanes, not partitions, give it parallelism. The mock cluster
    /// answers a fetch with one message set per partition, found by walking the partition's list of message sets from
    /// the oldest: fewer partitions mean fuller message sets and shorter lists, about 1.6 times the saga throughput of 6.
    /// </summary>
    public int? Partitions { get; set; }

    public const int DefaultPartitions = 6;
    public const int EmbeddedPartitions = 1;

    /// <summary>Partitions of topics created on a real cluster or on the <c>kafka-dev</c> broker.</summary>
    public int SharedBrokerPartitions => Partitions ?? DefaultPartitions;

    /// <summary>Partitions of topics created on the in-process embedded cluster.</summary>
    public int InProcessPartitions => Partitions ?? EmbeddedPartitions;

    public short ReplicationFactor { get; set; } = 1;

    /// <summary>How often librdkafka reports statistics, the source of consumer lag.</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a broker may hold a Fetch that found no new record (fetch.wait.max.ms). Absent: 500 ms against
    /// real Kafka, which answers a waiting Fetch as soon as a record arrives; 2 ms on the embedded mock cluster,
    /// which always waits the full time, so every idle hop would otherwise cost up to half a second (with 10 ms, 5 ms of
    /// every hop on average). An idle consumer then fetches ~500 times a second, which the in-process mock answers cheaply.
    /// </summary>
    public TimeSpan? FetchWaitMax { get; set; }

    /// <summary>
    /// Bytes one fetch response may carry (fetch.max.bytes), so a consumer's memory is bounded in bytes and not only in
    /// records. librdkafka's default is 50 MiB; never below two records of <c>MaxRecordBytes</c>, so a record always fits.
    /// </summary>
    public int FetchMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Bytes of prefetched records a consumer group member queues ahead of the rider (queued.max.messages.kbytes,
    /// whole KiB). librdkafka's default is 64 MiB per consumer; each process runs one consumer per group of its roles.
    /// </summary>
    public int ConsumerQueueBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// How long the producer waits to batch records (linger.ms). The produce is awaited, so a lone record waits all of it
    /// on every hop; under load the batches still fill, since records also gather while earlier requests are in flight.
    /// 1 ms: at 50 sagas/s each of a saga's eight hops took ~13 ms with 5 ms (librdkafka's default) and the embedded
    /// cluster's 10 ms fetch wait, ~4 ms with 1 ms and 2 ms (README, Performance).
    /// </summary>
    public TimeSpan ProducerLinger { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// A consumer silent this long leaves its group (session.timeout.ms); the mock cluster also waits about this long for
    /// members to rejoin a rebalance. Classic group protocol only: under <c>consumer</c> the broker sets it.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The consumer group protocol: <c>classic</c> (JoinGroup/SyncGroup, eager revocation, range assignor) or
    /// <c>consumer</c> (KIP-848, Kafka 4.0 brokers and the mock cluster: the group coordinator assigns partitions
    /// incrementally, and session timeout, heartbeat interval and assignor are the broker's settings).
    /// </summary>
    public string GroupProtocol { get; set; } = ClassicGroupProtocol;

    public const string ClassicGroupProtocol = "classic";
    public const string ConsumerGroupProtocol = "consumer";

    /// <summary>True for KIP-848's <c>consumer</c> group protocol.</summary>
    public bool UsesConsumerGroupProtocol => string.Equals(GroupProtocol, ConsumerGroupProtocol, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Largest record value a consumer reads (1 MiB, Kafka's default message.max.bytes). A larger one is dead-lettered
    /// without being parsed: no message of the wire contract comes near it (the API refuses bodies over 64 KiB).
    /// </summary>
    public int MaxRecordBytes { get; set; } = DefaultMaxRecordBytes;

    public const int DefaultMaxRecordBytes = 1024 * 1024;

    /// <summary>
    /// Tries at writing a record to its dead-letter topic before giving it up (logged and counted, the partition goes
    /// on); the first retry waits <see cref="DeadLetterRetryDelay"/>, each further one twice as long (at most 30 s).
    /// </summary>
    public int DeadLetterAttempts { get; set; } = 5;

    public TimeSpan DeadLetterRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long readiness stays unhealthy after a consumer found records deleted before it read them (they are gone: the
    /// loss is logged at Error and counted in <c>sagademo_kafka_records_lost_total</c>); afterwards it reports Degraded,
    /// naming the loss, until the process restarts. Zero: Degraded at once.
    /// </summary>
    public TimeSpan RecordLossUnready { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>librdkafka debug contexts for every client (e.g. <c>consumer,cgrp,topic,fetch</c>), logged at Debug level.</summary>
    public string? Debug { get; set; }

    /// <summary>Authenticity of records: who may write which topic (see <see cref="Signing.SigningOptions"/>).</summary>
    public Signing.SigningOptions Signing { get; set; } = new();

    /// <summary>The in-process embedded cluster deletes what every consumer group of this process has committed.</summary>
    public EmbeddedLogTrimOptions EmbeddedLogTrim { get; set; } = new();

    /// <summary>Per consumer group (receive endpoint name) tuning.</summary>
    public Dictionary<string, KafkaEndpointOptions> Endpoints { get; set; } = new(StringComparer.Ordinal);

    public KafkaEndpointOptions For(string group) =>
        Endpoints.TryGetValue(group, out var options) ? options : new KafkaEndpointOptions();
}
