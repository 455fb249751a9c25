using System.Text;
using Confluent.Kafka;

namespace SagaDemo.Kafka.Topology;

/// <summary>Writes the UTF-8 string headers of <see cref="KafkaHeaderNames"/>.</summary>
public static class KafkaHeaderValues
{
    /// <summary>Adds the header when there is a value; an absent header means "not known", never "empty".</summary>
    public static void AddIfPresent(this Headers headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            headers.Add(name, Encoding.UTF8.GetBytes(value));
    }
}
