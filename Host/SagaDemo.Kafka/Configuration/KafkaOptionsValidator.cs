using Microsoft.Extensions.Options;

namespace SagaDemo.Kafka.Configuration;

/// <summary>Rejects a Kafka section that could only fail later, with a message naming the key.</summary>
public sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    static readonly string[] Protocols = ["Plaintext", "Ssl", "SaslPlaintext", "SaslSsl"];
    // A record the consumer can always fetch in one response (fetch.max.bytes' default).
    const int MaxRecordBytesCeiling = 50 * 1024 * 1024;
    static readonly string[] Mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var failures = new List<string>();
        if (KafkaClientConfigs.ParseSecurityProtocol(options.SecurityProtocol) is null)
            failures.Add($"Kafka:SecurityProtocol must be one of {string.Join(", ", Protocols)} (or SASL_SSL etc.).");

        var sasl = options.SecurityProtocol.StartsWith("Sasl", StringComparison.OrdinalIgnoreCase);
        if (sasl)
        {
            if (options.SaslMechanism is null || !Mechanisms.Contains(options.SaslMechanism, StringComparer.OrdinalIgnoreCase))
                failures.Add($"Kafka:SaslMechanism must be one of {string.Join(", ", Mechanisms)} with {options.SecurityProtocol}.");
            if (string.IsNullOrEmpty(options.SaslUsername) || string.IsNullOrEmpty(options.SaslPassword))
                failures.Add("Kafka:SaslUsername and Kafka:SaslPassword are required with SASL.");
        }
        if (options.SslCaLocation is not null && !File.Exists(options.SslCaLocation))
            failures.Add($"Kafka:SslCaLocation '{options.SslCaLocation}' does not exist.");
        if (options.Partitions is < 1)
            failures.Add("Kafka:Partitions must be at least 1.");
        if (options.ReplicationFactor < 1)
            failures.Add("Kafka:ReplicationFactor must be at least 1.");
        if (options.FetchWaitMax is { } wait && (wait < TimeSpan.Zero || wait > TimeSpan.FromMinutes(5)))
            failures.Add("Kafka:FetchWaitMax must be between 0 and 5 minutes.");
        if (options.ProducerLinger < TimeSpan.Zero || options.ProducerLinger > TimeSpan.FromMinutes(5))
            failures.Add("Kafka:ProducerLinger must be between 0 and 5 minutes.");
        if (options.SessionTimeout < TimeSpan.FromSeconds(1) || options.SessionTimeout > TimeSpan.FromMinutes(30))
            failures.Add("Kafka:SessionTimeout must be between 1 second and 30 minutes.");
        if (options.MaxRecordBytes < 1024 || options.MaxRecordBytes > MaxRecordBytesCeiling)
            failures.Add($"Kafka:MaxRecordBytes must be between 1024 and {MaxRecordBytesCeiling}.");
        if (options.FetchMaxBytes is < 64 * 1024 or > 512 * 1024 * 1024)
            failures.Add("Kafka:FetchMaxBytes must be between 64 KiB and 512 MiB.");
        if (options.ConsumerQueueBytes is < 1024 * 1024 or > 1024 * 1024 * 1024)
            failures.Add("Kafka:ConsumerQueueBytes must be between 1 MiB and 1 GiB.");
        if (options.DeadLetterAttempts is < 1 or > 100)
            failures.Add("Kafka:DeadLetterAttempts must be between 1 and 100.");
        if (options.EmbeddedLogTrim.Interval < TimeSpan.Zero)
            failures.Add("Kafka:EmbeddedLogTrim:Interval must not be negative (zero turns trimming off).");
        if (options.EmbeddedLogTrim.KeepRecords < 0)
            failures.Add("Kafka:EmbeddedLogTrim:KeepRecords must not be negative.");
        if (options.RecordLossUnready < TimeSpan.Zero)
            failures.Add("Kafka:RecordLossUnready must not be negative.");
        if (options.DeadLetterRetryDelay < TimeSpan.Zero || options.DeadLetterRetryDelay > TimeSpan.FromMinutes(1))
            failures.Add("Kafka:DeadLetterRetryDelay must be between 0 and 1 minute.");
        if (!options.UsesConsumerGroupProtocol
            && !string.Equals(options.GroupProtocol, KafkaOptions.ClassicGroupProtocol, StringComparison.OrdinalIgnoreCase))
            failures.Add($"Kafka:GroupProtocol must be {KafkaOptions.ClassicGroupProtocol} or {KafkaOptions.ConsumerGroupProtocol}.");
        if (string.IsNullOrWhiteSpace(options.ClientId))
            failures.Add("Kafka:ClientId must not be empty.");

        foreach (var (producer, key) in options.Signing.Keys.Concat(options.Signing.PreviousKeys))
            if (!string.IsNullOrEmpty(key) && key.Length < Signing.SigningOptions.MinKeyLength)
                failures.Add($"Kafka:Signing key of {producer} must be at least {Signing.SigningOptions.MinKeyLength} characters.");
        if (!Enum.IsDefined(options.Signing.Mode))
            failures.Add("Kafka:Signing:Mode must be Required or Off.");

        foreach (var (group, endpoint) in options.Endpoints)
        {
            if (endpoint.Concurrency < 1)
                failures.Add($"Kafka:Endpoints:{group}:Concurrency must be at least 1.");
            if (endpoint.MaxInFlight < endpoint.Concurrency)
                failures.Add($"Kafka:Endpoints:{group}:MaxInFlight must be at least Concurrency.");
            if (endpoint.MaxInFlightBytes < options.MaxRecordBytes)
                failures.Add($"Kafka:Endpoints:{group}:MaxInFlightBytes must be at least Kafka:MaxRecordBytes.");
            if (endpoint.CheckpointInterval <= TimeSpan.Zero)
                failures.Add($"Kafka:Endpoints:{group}:CheckpointInterval must be positive.");
            if (endpoint.CheckpointCount < 1)
                failures.Add($"Kafka:Endpoints:{group}:CheckpointCount must be at least 1.");
            if (endpoint.StallTimeout < TimeSpan.FromSeconds(1))
                failures.Add($"Kafka:Endpoints:{group}:StallTimeout must be at least 1 second.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
