using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// A plain Confluent producer, as any client outside the system would use: records with whatever key, value and
/// headers the case wants, on the topics the services read. With <paramref name="signer"/> it writes as the topic's
/// own producer would, signature included (any signature a copied record brought along is replaced): the cases test
/// what the services make of records their producers could send, not forgeries (Trust/ covers those).
/// </summary>
public sealed class RecordFeed(string bootstrap, RecordSignatures? signer = null) : IDisposable
{
    readonly IProducer<string?, byte[]> _producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrap,
        EnableIdempotence = true,
        LingerMs = 5,
    }).Build();
    readonly List<Task<DeliveryResult<string?, byte[]>>> _sent = [];

    public void Produce(string topic, string? key, byte[] value, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var h = new Headers();
        foreach (var (name, v) in headers ?? [])
            if (signer is null || name != KafkaHeaderNames.Signature)
                h.Add(name, Encoding.UTF8.GetBytes(v));
        signer?.Sign(h, topic, key, value);
        _sent.Add(_producer.ProduceAsync(topic, new Message<string?, byte[]> { Key = key, Value = value, Headers = h }));
    }

    /// <summary>A contract message as the services write it (camelCase JSON, its type in the header), keyed as given.</summary>
    public void Produce<T>(string topic, string key, T message) where T : class =>
        Produce(topic, key, JsonSerializer.SerializeToUtf8Bytes(message, WireJson.Options),
            [new(KafkaHeaderNames.MessageType, typeof(T).Name)]);

    /// <summary>Waits until the broker acknowledged everything produced so far; returns where each record landed.</summary>
    public async Task<List<TopicPartitionOffset>> FlushAsync()
    {
        var results = await Task.WhenAll(_sent);
        _sent.Clear();
        return [.. results.Select(r => r.TopicPartitionOffset)];
    }

    public void Dispose() => _producer.Dispose();
}
