namespace SagaDemo.Kafka.Configuration;

/// <summary>Configuration section <c>Kafka</c>. No BootstrapServers means: start the embedded mock cluster.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    public string? BootstrapServers { get; set; }

    /// <summary>Plaintext, Ssl, SaslPlaintext or SaslSsl.</summary>
    public string SecurityProtocol { get; set; } = "Plaintext";

    /// <summary>PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; required with a Sasl* protocol.</summary>
    public string? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }
    public string? SaslPassword { get; set; }
    public string? SslCaLocation { get; set; }
    public string ClientId { get; set; } = "sagademo";

    /// <summary>Partitions of topics this app creates when missing (the original demo used 6).</summary>
    public int Partitions { get; set; } = 6;

    public short ReplicationFactor { get; set; } = 1;

    /// <summary>How often librdkafka reports statistics, the source of consumer lag.</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Per consumer group (receive endpoint name) tuning.</summary>
    public Dictionary<string, KafkaEndpointOptions> Endpoints { get; set; } = new(StringComparer.Ordinal);

    public KafkaEndpointOptions For(string group) =>
        Endpoints.TryGetValue(group, out var options) ? options : new KafkaEndpointOptions();
}
